/**
 * Roster columns, recognised from the headers community workers actually write, in Chinese
 * and English. A user can correct the guess and save the mapping.
 */
export const ROSTER_FIELDS = [
  'name',
  'idNumber',
  'idType',
  'phone',
  'sex',
  'birthDate',
  'grid',
  'building',
  'unit',
  'room',
  'relation',
  'residenceType',
  'employer',
  'notes',
  'tags',
  'hukouAddress',
  'lifeStatus',
  'statusPlace',
  'representative',
  'occupancy',
] as const
export type RosterField = (typeof ROSTER_FIELDS)[number]

/** A 村民小组 column: the roster is of a village, its 门牌号 are houses (the unit level). */
const VILLAGER_GROUP_HEADERS = ['村民小组', '村小组', '小组', '组', '村组', '组别', '所属小组']
/** A 街巷 column: houses along a street or lane (a town, a 城中村). */
const STREET_HEADERS = ['街巷', '街路巷', '路巷', '街道巷', '所在街巷']
/** Where a building column names a group or a street, these are its house numbers. */
const HOUSE_NUMBER_HEADERS = [
  '门牌号',
  '门牌',
  '门号',
  '门牌号码',
  '户号',
  'houseno',
  'housenumber',
]

const SYNONYMS: Record<RosterField, string[]> = {
  name: ['姓名', '名字', '居民姓名', '人员姓名', 'name', 'fullname'],
  idNumber: [
    '身份证号',
    '身份证号码',
    '证件号码',
    '证件号',
    '公民身份号码',
    '身份证',
    'idnumber',
    'idno',
    'idcard',
    'id',
  ],
  idType: ['证件类型', 'idtype', 'documenttype'],
  phone: ['联系电话', '手机号', '手机号码', '电话', '联系方式', '手机', 'phone', 'mobile', 'tel'],
  sex: ['性别', 'sex', 'gender'],
  birthDate: ['出生日期', '出生年月', '生日', 'birthdate', 'dateofbirth', 'dob', 'birthday'],
  grid: ['网格', '所属网格', '网格编号', '网格名称', 'grid'],
  building: [
    '楼栋',
    '楼号',
    '楼栋号',
    '栋',
    '幢',
    '楼',
    'building',
    'bldg',
    ...VILLAGER_GROUP_HEADERS,
    ...STREET_HEADERS,
  ],
  unit: ['单元', '单元号', 'unit'],
  room: ['房号', '门牌号', '房间号', '户号', '室', 'room', 'roomno', 'door'],
  relation: ['户主关系', '与户主关系', '关系', 'relation', 'relationship'],
  residenceType: ['人员类型', '居住类型', '人口类型', '户籍类型', 'residencetype', 'type'],
  employer: [
    '工作单位',
    '单位',
    '学校',
    '工作单位/学校',
    '工作单位或学校',
    'employer',
    'school',
    'workplace',
  ],
  notes: ['备注', '说明', 'notes', 'remark', 'remarks'],
  tags: ['标签', '重点人群', '人员标签', 'tags'],
  hukouAddress: [
    '户籍地',
    '户籍地址',
    '户籍所在地',
    '户口所在地',
    '户籍住址',
    '户籍详址',
    'hukouaddress',
    'registeredaddress',
  ],
  lifeStatus: ['人员状态', '状态', '在住状态', '在住情况', 'status'],
  statusPlace: ['去向', '外出去向', '外出地', '现居住地', '实际居住地', 'whereabouts'],
  representative: ['户代表', '是否户代表', 'representative'],
  occupancy: [
    '居住状态',
    '房屋状态',
    '房屋用途',
    '房屋居住情况',
    '居住情况',
    '房屋类型',
    'occupancy',
  ],
}

/** Lower-cased, without spaces, asterisks (required marks), brackets and their contents. */
export function normaliseHeader(h: string): string {
  return h
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[\s*＊:：_\-.]/g, '')
    .toLowerCase()
}

const LOOKUP = new Map<string, RosterField>()
for (const [field, names] of Object.entries(SYNONYMS) as [RosterField, string[]][]) {
  for (const n of names) LOOKUP.set(normaliseHeader(n), field)
}

export type ColumnMapping = Partial<Record<RosterField, number>>

export interface HeaderGuess {
  mapping: ColumnMapping
  unknown: string[]
  missing: RosterField[]
  /**
   * What the building column names when its header says so: a 村民小组 or a 街巷, whose
   * 门牌号 are houses (the unit level) and whose rooms are optional (a house is one household).
   */
  houses: 'villager_group' | 'street' | undefined
}

export const REQUIRED_FIELDS: RosterField[] = ['name', 'idNumber', 'building', 'unit', 'room']
/** A village's or a street's roster: a house without rooms is one household. */
const HOUSE_REQUIRED_FIELDS: RosterField[] = ['name', 'idNumber', 'building', 'unit']

const GROUP_KEYS = new Set(VILLAGER_GROUP_HEADERS.map(normaliseHeader))
const STREET_KEYS = new Set(STREET_HEADERS.map(normaliseHeader))
const HOUSE_NUMBER_KEYS = new Set(HOUSE_NUMBER_HEADERS.map(normaliseHeader))

/** The columns an import needs under this mapping: a village's or a street's roster needs no room. */
export function requiredFields(
  headers: readonly string[],
  mapping: ColumnMapping,
): readonly RosterField[] {
  return housesOfMapping(headers, mapping) ? HOUSE_REQUIRED_FIELDS : REQUIRED_FIELDS
}

/** What the mapped building column names, by its header (HeaderGuess.houses). */
function housesOfMapping(
  headers: readonly string[],
  mapping: ColumnMapping,
): HeaderGuess['houses'] {
  const b = mapping.building
  return housesOf(b === undefined ? undefined : headers[b])
}

function housesOf(header: string | undefined): HeaderGuess['houses'] {
  const key = normaliseHeader(header ?? '')
  if (GROUP_KEYS.has(key)) return 'villager_group'
  if (STREET_KEYS.has(key)) return 'street'
  return undefined
}

/** Maps header cells to fields; the first column that matches a field wins. */
export function recogniseHeaders(
  headers: string[],
  saved: ColumnMapping | undefined = undefined,
): HeaderGuess {
  const mapping: ColumnMapping = {}
  const unknown: string[] = []
  // 组 / 街巷 columns make 门牌号 the house (unit level), not the room.
  const village = headers.some((h) => housesOf(h) !== undefined)
  headers.forEach((h, i) => {
    const key = normaliseHeader(h)
    const field = village && HOUSE_NUMBER_KEYS.has(key) ? 'unit' : LOOKUP.get(key)
    if (field && mapping[field] === undefined) mapping[field] = i
    else if (h.trim()) unknown.push(h)
  })
  // A saved mapping (by header text) overrides the guess.
  if (saved)
    for (const [f, i] of Object.entries(saved) as [RosterField, number][])
      if (i < headers.length) mapping[f] = i
  const houses = housesOfMapping(headers, mapping)
  const missing = (houses ? HOUSE_REQUIRED_FIELDS : REQUIRED_FIELDS).filter(
    (f) => mapping[f] === undefined,
  )
  return { mapping, unknown, missing, houses }
}

const RESIDENCE: Record<string, string> = {
  户籍: 'registered',
  户籍人口: 'registered',
  本地户籍: 'registered',
  registered: 'registered',
  常住: 'permanent',
  常住人口: 'permanent',
  permanent: 'permanent',
  流动: 'floating',
  流动人口: 'floating',
  外来: 'floating',
  floating: 'floating',
  租户: 'tenant',
  租住: 'tenant',
  租房: 'tenant',
  tenant: 'tenant',
}
const RELATION: Record<string, string> = {
  户主: 'head',
  本人: 'head',
  head: 'head',
  配偶: 'spouse',
  妻: 'spouse',
  夫: 'spouse',
  妻子: 'spouse',
  丈夫: 'spouse',
  spouse: 'spouse',
  子: 'child',
  女: 'child',
  儿子: 'child',
  女儿: 'child',
  子女: 'child',
  长子: 'child',
  长女: 'child',
  次子: 'child',
  次女: 'child',
  child: 'child',
  父亲: 'parent',
  母亲: 'parent',
  父: 'parent',
  母: 'parent',
  父母: 'parent',
  parent: 'parent',
  孙子: 'grandchild',
  孙女: 'grandchild',
  外孙: 'grandchild',
  外孙女: 'grandchild',
  grandchild: 'grandchild',
  祖父: 'grandparent',
  祖母: 'grandparent',
  外祖父: 'grandparent',
  外祖母: 'grandparent',
  grandparent: 'grandparent',
  兄: 'sibling',
  弟: 'sibling',
  姐: 'sibling',
  妹: 'sibling',
  兄弟姐妹: 'sibling',
  sibling: 'sibling',
  儿媳: 'daughter_in_law',
  儿媳妇: 'daughter_in_law',
  媳妇: 'daughter_in_law',
  daughter_in_law: 'daughter_in_law',
  女婿: 'son_in_law',
  son_in_law: 'son_in_law',
  保姆: 'nanny',
  nanny: 'nanny',
  护工: 'caregiver',
  caregiver: 'caregiver',
  其他同住人: 'co_resident',
  同住人: 'co_resident',
  同住: 'co_resident',
  co_resident: 'co_resident',
  租客: 'tenant',
  租户: 'tenant',
  tenant: 'tenant',
  其他: 'other',
  other: 'other',
}
const SEX: Record<string, 'male' | 'female'> = {
  男: 'male',
  女: 'female',
  m: 'male',
  f: 'female',
  male: 'male',
  female: 'female',
  男性: 'male',
  女性: 'female',
}
const ID_TYPES: Record<string, string> = {
  身份证: 'resident_id',
  居民身份证: 'resident_id',
  港澳居民居住证: 'hk_macau_permit',
  台湾居民居住证: 'taiwan_permit',
  外国人永久居留身份证: 'foreigner_id',
  外国人永久居留证: 'foreigner_id',
  永居证: 'foreigner_id',
  回乡证: 'hk_macau_travel_permit',
  港澳居民来往内地通行证: 'hk_macau_travel_permit',
  台胞证: 'taiwan_travel_permit',
  台湾居民来往大陆通行证: 'taiwan_travel_permit',
  护照: 'passport',
  passport: 'passport',
  其他: 'other',
}
const TAGS: Record<string, string> = {
  慢性病: 'chronic_disease',
  慢病: 'chronic_disease',
  透析: 'dialysis',
  化疗: 'chemotherapy',
  孕产妇: 'pregnancy',
  孕妇: 'pregnancy',
  独居: 'living_alone',
  独居老人: 'living_alone',
  残疾: 'disabled',
  残疾人: 'disabled',
  留守儿童: 'minor_alone',
  精神疾病: 'mental_illness',
  卧床: 'bedridden',
  重点行业: 'key_job',
}

/** 人员状态: what a roster may set (死亡 needs its date: the resident's page). */
const LIFE_STATUS: Record<string, string> = {
  在住: 'active',
  正常: 'active',
  在册: 'active',
  居住: 'active',
  active: 'active',
  长期外出: 'away_long',
  外出: 'away_long',
  在外: 'away_long',
  外出务工: 'away_long',
  away_long: 'away_long',
  户在人不在: 'hukou_only',
  人户分离: 'hukou_only',
  空挂户: 'hukou_only',
  hukou_only: 'hukou_only',
  死亡: 'deceased',
  已故: 'deceased',
  去世: 'deceased',
  已死亡: 'deceased',
  deceased: 'deceased',
}
/** 房屋状态 (以房管人); 集体户 needs its kind and name: the household's page. */
const OCCUPANCY: Record<string, string> = {
  自住: 'owner_occupied',
  自有: 'owner_occupied',
  owner_occupied: 'owner_occupied',
  出租: 'rented',
  租住: 'rented',
  rented: 'rented',
  空置: 'vacant',
  空房: 'vacant',
  闲置: 'vacant',
  vacant: 'vacant',
  群租: 'group_rented',
  group_rented: 'group_rented',
  商铺: 'shop',
  门面: 'shop',
  经营: 'shop',
  shop: 'shop',
  集体户: 'collective',
  collective: 'collective',
}
const YES_NO: Record<string, boolean> = {
  是: true,
  '√': true,
  '✓': true,
  y: true,
  yes: true,
  '1': true,
  户代表: true,
  否: false,
  '×': false,
  n: false,
  no: false,
  '0': false,
}

const lookup = (table: Record<string, string>, v: string): string | undefined =>
  table[v.trim().toLowerCase()] ?? table[v.trim()]

export const vocab = {
  residenceType: (v: string): string | undefined => lookup(RESIDENCE, v),
  relation: (v: string): string | undefined => lookup(RELATION, v),
  sex: (v: string): 'male' | 'female' | undefined => SEX[v.trim().toLowerCase()],
  idType: (v: string): string | undefined => lookup(ID_TYPES, v),
  lifeStatus: (v: string): string | undefined => lookup(LIFE_STATUS, v),
  occupancy: (v: string): string | undefined => lookup(OCCUPANCY, v),
  yesNo: (v: string): boolean | undefined => YES_NO[v.trim().toLowerCase()],
  tag: (v: string): string | undefined =>
    TAGS[v.trim()] ?? (/^[a-z][a-z0-9_]{1,39}$/.test(v.trim()) ? v.trim() : undefined),
}
