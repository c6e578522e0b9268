import { defineMessages } from '../core/i18n/messages.js'

/**
 * Every text of the registry: the errors its services throw (with their field and params), the
 * identity rules' reasons, the words of the resident export (columns and the labels of
 * relations, residence types, sexes and tags) and the labels of its request fields.
 * Identifier problems (ID_CHECK_CHARACTER, PHONE_LENGTH, …) are core's: core/pii/identifiers.messages.ts.
 */
export const registryMessages = defineMessages({
  // Places.
  NOT_A_GRID: {
    'zh-CN': '所选位置不是网格：楼栋只能建在网格下',
    en: 'Not a grid: buildings are created under a grid',
  },
  LAYOUT_TOO_LARGE: {
    'zh-CN': '一次将生成 {{count}} 户，超过 {{max}} 户，请分批创建',
    en: 'That is {{count}} households, more than {{max}}; split it',
  },
  LAYOUT_FLOORS_REQUIRED: {
    'zh-CN': '楼栋请填写楼层和每层户数',
    en: 'A block needs its floors and rooms per floor',
  },
  LAYOUT_FLOORS_AND_ROOMS: {
    'zh-CN': '自建房按间出租时请同时填写楼层和每层间数；整栋一户时两项都不填',
    en: 'For a house let room by room give both floors and rooms per floor; for a whole house give neither',
  },
  BUILDING_KIND_MISMATCH: {
    'zh-CN':
      '“{{code}}”看起来是{{looksLikeKind}}，与所选类型“{{kind}}”不符：村民小组的名称以“组”结尾，街巷以路、街、巷、弄、胡同、村或屯结尾',
    en: '"{{code}}" looks like a {{looksLikeKind}}, not a {{kind}}: a villager group ends in 组, a street in 路, 街, 巷, 弄, 胡同, 村 or 屯',
  },
  BUILDING_KIND_block: { 'zh-CN': '楼栋', en: 'block' },
  BUILDING_KIND_villager_group: { 'zh-CN': '村民小组', en: 'villager group' },
  BUILDING_KIND_street: { 'zh-CN': '街巷', en: 'street' },
  HOUSEHOLD_NOT_FOUND: { 'zh-CN': '找不到该户，可能已被删除', en: 'No such household' },
  LANDLORD_ONLY_WHEN_LET: {
    'zh-CN': '只有出租或群租的房屋才能登记房东或二房东',
    en: 'A landlord or sub-landlord is recorded only for a rented or group-rented flat',
  },
  COLLECTIVE_ONLY_WHEN_COLLECTIVE: {
    'zh-CN': '只有集体户才能登记集体户类别和名称',
    en: 'A kind and name are recorded only for a collective household',
  },
  COLLECTIVE_NAME_REQUIRED: {
    'zh-CN': '集体户请选择类别并填写名称（如：某工地项目部宿舍）',
    en: 'A collective household needs its kind and name (e.g. a site camp)',
  },
  FIELD_collective: { 'zh-CN': '集体户', en: 'Collective household' },
  TENANCY_END_BEFORE_START: {
    'zh-CN': '租期结束日期不能早于开始日期',
    en: 'The tenancy cannot end before it starts',
  },
  REPRESENTATIVE_NOT_MEMBER: {
    'zh-CN': '户代表须是本户在住的居民',
    en: 'The household representative must be one of its active residents',
  },
  FIELD_landlord: { 'zh-CN': '房东/二房东', en: 'Landlord' },
  FIELD_tenancyStart: { 'zh-CN': '租期开始', en: 'Tenancy start' },
  FIELD_tenancyEnd: { 'zh-CN': '租期结束', en: 'Tenancy end' },
  FIELD_representativeId: { 'zh-CN': '户代表', en: 'Household representative' },

  // Walk-ins registered at a sampling desk, and their reconciliation (provisional.service.ts).
  WALK_IN_WHERE_REQUIRED: {
    'zh-CN': '请选择暂住的登记户，或选择所在网格并填写暂住地址',
    en: 'Choose the household they stay in, or their grid and the address',
  },
  WALK_IN_ADDRESS_REQUIRED: {
    'zh-CN': '未选择登记户时须填写暂住地址',
    en: 'Without a household of the registry, type the address they stay at',
  },
  WALK_IN_NOT_A_GRID: {
    'zh-CN': '所选位置不是网格，请选择暂住地所在的网格',
    en: 'Not a grid: choose the grid they stay in',
  },
  PROVISIONAL_NOT_FOUND: { 'zh-CN': '找不到该临时登记人员', en: 'No such walk-in registration' },
  PROVISIONAL_ALREADY_RECONCILED: {
    'zh-CN': '该临时登记人员已处理，不能再次处理',
    en: 'This walk-in has already been reconciled',
  },
  PROVISIONAL_MERGE_TARGET_INVALID: {
    'zh-CN': '只能合并到一名已登记的居民（不能是临时登记人员或其本人）',
    en: 'Merge into a registered resident (not a walk-in, not the same person)',
  },
  PROVISIONAL_CURSOR_INVALID: {
    'zh-CN': '翻页位置无效，请从第一页重新查看',
    en: 'Invalid page position; start again from the first page',
  },

  // Residents.
  RESIDENT_NOT_FOUND: { 'zh-CN': '找不到该居民', en: 'Resident not found' },
  PRESENCE_NEEDS_DESTINATION: {
    'zh-CN': '外出须填写去向',
    en: 'Away needs a destination',
  },
  PRESENCE_RETURN_BEFORE_LEAVING: {
    'zh-CN': '预计返回日期早于外出日期',
    en: 'The expected return is before the day of leaving',
  },
  RESIDENT_ALREADY_LIVES_THERE: {
    'zh-CN': '该居民已住在这一户',
    en: 'The resident already lives in this household',
  },
  STATUS_DATE_REQUIRED: {
    'zh-CN': '登记死亡须填写死亡日期',
    en: 'A death needs its date',
  },
  STATUS_DATE_FUTURE: {
    'zh-CN': '日期不能晚于今天',
    en: 'The date cannot be after today',
  },
  STATUS_PLACE_REQUIRED: {
    'zh-CN': '长期外出须填写去向',
    en: 'Long-term away needs where to',
  },
  RESIDENT_STATUS_NOT_CHANGEABLE: {
    'zh-CN': '该人员当前状态不能这样变更（已迁出、临时登记或已合并的人员，或已是该状态）',
    en: 'This status cannot be set from the current one (moved out, walk-in, merged, or already so)',
  },
  RESIDENT_DECEASED: {
    'zh-CN': '该居民已登记死亡；如登记有误，请先在居民页面恢复为在住',
    en: 'This resident is recorded as deceased; undo that on the resident page first if it was a mistake',
  },
  REGION_CODE_UNKNOWN: {
    'zh-CN': '行政区划代码的前两位不是已知的省级代码（GB/T 2260）',
    en: 'The first two digits are not a known province code (GB/T 2260)',
  },
  RESIDENT_ALREADY_MOVED_OUT: { 'zh-CN': '该居民已迁出', en: 'The resident has already moved out' },
  RESIDENT_MOVED_OUT: {
    'zh-CN': '该居民已迁出，不能发放居民码',
    en: 'This resident has moved out; no code is issued',
  },
  ID_SAYS_MALE: {
    'zh-CN': '与证件号码不符：证件号码显示为男性',
    en: 'Contradicts the ID number, which says male',
  },
  ID_SAYS_FEMALE: {
    'zh-CN': '与证件号码不符：证件号码显示为女性',
    en: 'Contradicts the ID number, which says female',
  },
  ID_SAYS_BIRTH_DATE: {
    'zh-CN': '与证件号码不符：证件号码中的出生日期是 {{expected}}',
    en: 'Contradicts the ID number, which says {{expected}}',
  },
  EXPORT_REASON_REQUIRED: {
    'zh-CN': '导出完整证件号和手机号需要填写理由（至少 {{min}} 个字）',
    en: 'An unmasked export needs a reason of at least {{min}} characters',
  },

  // Transfers between communities.
  TRANSFER_NOT_FOUND: { 'zh-CN': '找不到该迁入申请', en: 'Transfer not found' },
  TRANSFER_ALREADY_CONFIRMED: {
    'zh-CN': '该申请已确认，不能再处理',
    en: 'This transfer is already confirmed',
  },
  TRANSFER_ALREADY_DISPUTED: {
    'zh-CN': '该申请已提出异议，不能再处理',
    en: 'This transfer is already disputed',
  },
  TRANSFER_PERSON_MOVED: {
    'zh-CN': '此人在申请后已迁往别处，不能再确认该申请',
    en: 'The person has moved since the request; it cannot be confirmed any more',
  },
  TRANSFER_DECIDED_MEANWHILE: {
    'zh-CN': '该申请刚被他人处理，请刷新后查看',
    en: 'This transfer was decided meanwhile; reload to see how',
  },
  TRANSFER_HOUSEHOLD_GONE: {
    'zh-CN': '申请迁入的那一户已不存在',
    en: 'The destination household no longer exists',
  },

  // The resident export (.xlsx / .csv), written in the requester's language.
  EXPORT_SHEET: { 'zh-CN': '居民名单', en: 'Residents' },
  EXPORT_FILE: { 'zh-CN': '居民名单', en: 'residents' },
  EXPORT_COL_name: { 'zh-CN': '姓名', en: 'Name' },
  EXPORT_COL_address: { 'zh-CN': '住址', en: 'Address' },
  EXPORT_COL_relation: { 'zh-CN': '与户主关系', en: 'Relation to head' },
  EXPORT_COL_sex: { 'zh-CN': '性别', en: 'Sex' },
  EXPORT_COL_age: { 'zh-CN': '年龄', en: 'Age' },
  EXPORT_COL_birthDate: { 'zh-CN': '出生日期', en: 'Birth date' },
  EXPORT_COL_idNumber: { 'zh-CN': '证件号码', en: 'ID number' },
  EXPORT_COL_phone: { 'zh-CN': '联系电话', en: 'Phone' },
  EXPORT_COL_residenceType: { 'zh-CN': '人员类型', en: 'Residence type' },
  EXPORT_COL_tags: { 'zh-CN': '标签', en: 'Tags' },
  EXPORT_COL_employer: { 'zh-CN': '工作单位', en: 'Employer' },
  EXPORT_COL_notes: { 'zh-CN': '备注', en: 'Notes' },
  LIST_SEPARATOR: { 'zh-CN': '、', en: ', ' },

  SEX_male: { 'zh-CN': '男', en: 'Male' },
  SEX_female: { 'zh-CN': '女', en: 'Female' },
  RELATION_head: { 'zh-CN': '户主', en: 'Head' },
  RELATION_spouse: { 'zh-CN': '配偶', en: 'Spouse' },
  RELATION_child: { 'zh-CN': '子女', en: 'Child' },
  RELATION_parent: { 'zh-CN': '父母', en: 'Parent' },
  RELATION_grandchild: { 'zh-CN': '孙辈', en: 'Grandchild' },
  RELATION_grandparent: { 'zh-CN': '祖辈', en: 'Grandparent' },
  RELATION_sibling: { 'zh-CN': '兄弟姐妹', en: 'Sibling' },
  RELATION_daughter_in_law: { 'zh-CN': '儿媳', en: 'Daughter-in-law' },
  RELATION_son_in_law: { 'zh-CN': '女婿', en: 'Son-in-law' },
  RELATION_nanny: { 'zh-CN': '保姆', en: 'Nanny' },
  RELATION_caregiver: { 'zh-CN': '护工', en: 'Caregiver' },
  RELATION_co_resident: { 'zh-CN': '其他同住人', en: 'Other co-resident' },
  RELATION_tenant: { 'zh-CN': '租客', en: 'Tenant' },
  RELATION_other: { 'zh-CN': '其他', en: 'Other' },
  RESIDENCE_registered: { 'zh-CN': '户籍', en: 'Registered' },
  RESIDENCE_permanent: { 'zh-CN': '常住', en: 'Permanent' },
  RESIDENCE_floating: { 'zh-CN': '流动', en: 'Floating' },
  RESIDENCE_tenant: { 'zh-CN': '租户', en: 'Tenant' },
  TAG_chronic_disease: { 'zh-CN': '慢性病', en: 'Chronic disease' },
  TAG_chronic_key: { 'zh-CN': '慢病重点', en: 'Chronic (key)' },
  TAG_chronic_sub_key: { 'zh-CN': '慢病次重点', en: 'Chronic (sub-key)' },
  TAG_dialysis: { 'zh-CN': '透析', en: 'Dialysis' },
  TAG_chemotherapy: { 'zh-CN': '化疗', en: 'Chemotherapy' },
  TAG_pregnancy: { 'zh-CN': '孕产妇', en: 'Pregnancy' },
  TAG_living_alone: { 'zh-CN': '独居', en: 'Living alone' },
  TAG_disabled: { 'zh-CN': '残疾', en: 'Disabled' },
  TAG_minor_alone: { 'zh-CN': '留守未成年', en: 'Minor alone' },
  TAG_mental_illness: { 'zh-CN': '精神疾病', en: 'Mental illness' },
  TAG_bedridden: { 'zh-CN': '卧床', en: 'Bedridden' },
  TAG_key_job: { 'zh-CN': '重点行业', en: 'Key job' },

  // Request fields (error.field) the registry validates that no other catalogue names.
  FIELD_gridId: { 'zh-CN': '网格', en: 'Grid' },
  FIELD_householdId: { 'zh-CN': '户', en: 'Household' },
  FIELD_residentId: { 'zh-CN': '居民', en: 'Resident' },
  FIELD_buildingName: { 'zh-CN': '楼栋名称', en: 'Building name' },
  FIELD_units: { 'zh-CN': '单元', en: 'Units' },
  FIELD_floors: { 'zh-CN': '楼层', en: 'Floors' },
  FIELD_roomsPerFloor: { 'zh-CN': '每层户号', en: 'Rooms per floor' },
  FIELD_status: { 'zh-CN': '状态', en: 'Status' },
  FIELD_tag: { 'zh-CN': '标签', en: 'Tag' },
  FIELD_minAge: { 'zh-CN': '最小年龄', en: 'Minimum age' },
  FIELD_maxAge: { 'zh-CN': '最大年龄', en: 'Maximum age' },
  FIELD_reveal: { 'zh-CN': '显示完整信息', en: 'Reveal' },
  FIELD_direction: { 'zh-CN': '方向', en: 'Direction' },
  FIELD_note: { 'zh-CN': '备注', en: 'Note' },
  FIELD_on: { 'zh-CN': '日期', en: 'Date' },
  FIELD_place: { 'zh-CN': '去向/居住地', en: 'Place' },
  FIELD_hukouAddress: { 'zh-CN': '户籍地', en: 'Registered address' },
  FIELD_hukouRegion: { 'zh-CN': '户籍地行政区划代码', en: 'Registered address region code' },
})

export type RegistryMessageCode = keyof typeof registryMessages
