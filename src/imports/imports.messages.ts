import { defineMessages } from '../core/i18n/messages.js'

/**
 * Every text of the roster import: job and file errors, the reasons a row is rejected, the
 * repairs made to a row, the words of the rejected-rows file and the CLI summary. A row's
 * reasons travel as `{ code, field, column, params }`; the column (the file's own header) is
 * shown beside the reason, so the reasons do not repeat it.
 */
export const importsMessages = defineMessages({
  // Jobs and files.
  IMPORT_JOB_NOT_FOUND: { 'zh-CN': '找不到该导入任务', en: 'Import not found' },
  IMPORT_DIVISION_NOT_FOUND: {
    'zh-CN': '要导入的社区或网格不存在',
    en: 'The community or grid to import into does not exist',
  },
  IMPORT_NO_HEADER_ROW: {
    'zh-CN': '文件前 10 行中找不到表头（应有“姓名、身份证号、楼栋、单元、房号”等列）',
    en: 'No header row in the first 10 rows (expected columns such as 姓名, 身份证号, 楼栋, 单元, 房号)',
  },
  IMPORT_HEADER_NUL: {
    'zh-CN': '表头含有空字符（\\0），请删除后重新上传',
    en: 'The header row contains a NUL character (\\0); delete it and upload again',
  },
  IMPORT_COLUMNS_MISSING: {
    'zh-CN': '文件中找不到这些列：{{columns}}，请手动对应',
    en: 'Columns not found: {{columns}}; map them by hand',
  },
  IMPORT_MAPPING_INVALID: {
    'zh-CN': '列对应关系格式不正确',
    en: 'The column mapping is not valid',
  },
  IMPORT_FILE_FORMAT: {
    'zh-CN': '{{name}} 不是 .xlsx 或 .csv 文件（.xls 请先另存为 .xlsx）',
    en: '{{name}} is neither .xlsx nor .csv (save .xls files as .xlsx first)',
  },
  IMPORT_CSV_QUOTE: {
    'zh-CN': '无法读取该 CSV：第 {{line}} 行附近有未闭合的引号',
    en: 'Not a readable CSV: a quotation mark is not closed near line {{line}}',
  },
  IMPORT_CSV_UNREADABLE: {
    'zh-CN': '无法读取该 CSV（第 {{line}} 行附近）',
    en: 'Not a readable CSV (near line {{line}})',
  },
  IMPORT_XLSX_UNREADABLE: {
    'zh-CN': '无法读取该 .xlsx：请用 Excel 或 WPS 打开后重新另存为 .xlsx',
    en: 'Not a readable .xlsx (open it in Excel or WPS and save it again as .xlsx)',
  },
  INTERRUPTED: { 'zh-CN': '导入已中断', en: 'The import was interrupted' },

  // Why a row was not imported (one row may have several).
  ROW_EMPTY: { 'zh-CN': '不能为空', en: 'Empty' },
  ROW_TOO_LONG: { 'zh-CN': '最多 {{max}} 个字', en: 'Longer than {{max}} characters' },
  ROW_NUL_BYTE: {
    'zh-CN': '含有空字符（\\0），请删除后重新导入',
    en: 'Contains a NUL character (\\0); delete it and import the row again',
  },
  ROW_LOST_DIGITS: {
    'zh-CN': '{{value}}：Excel 把它存成了数字，后几位已丢失；请把该列设为“文本”格式后重新填写',
    en: '{{value}}: Excel stored it as a number and lost digits; format the column as Text and enter it again',
  },
  ROW_NOT_A_DATE: {
    'zh-CN': '{{value}} 不是日期（请写成 YYYY-MM-DD）',
    en: '{{value}} is not a date (use YYYY-MM-DD)',
  },
  ROW_DATE_DOES_NOT_EXIST: {
    'zh-CN': '日期 {{value}} 不存在',
    en: 'The date {{value}} does not exist',
  },
  ROW_UNKNOWN_ID_TYPE: {
    'zh-CN': '不认识的证件类型“{{value}}”',
    en: 'Unknown document type "{{value}}"',
  },
  ROW_UNKNOWN_SEX: { 'zh-CN': '“{{value}}”不是“男”或“女”', en: '"{{value}}" is neither 男 nor 女' },
  ROW_UNKNOWN_RELATION: {
    'zh-CN': '不认识的户主关系“{{value}}”',
    en: 'Unknown relation "{{value}}"',
  },
  ROW_UNKNOWN_RESIDENCE_TYPE: {
    'zh-CN': '不认识的人员类型“{{value}}”（户籍/常住/流动/租户）',
    en: 'Unknown type "{{value}}" (户籍/常住/流动/租户)',
  },
  ROW_UNKNOWN_STATUS: {
    'zh-CN': '不认识的人员状态“{{value}}”（在住/长期外出/户在人不在）',
    en: 'Unknown status "{{value}}" (在住/长期外出/户在人不在)',
  },
  ROW_STATUS_DECEASED_ON_PAGE: {
    'zh-CN': '死亡需填写死亡日期：请在该居民的详情页中登记，此行其他信息改正后可再导入',
    en: 'A death needs its date: record it on the resident’s page',
  },
  ROW_STATUS_PLACE_REQUIRED: {
    'zh-CN': '长期外出请在“去向”列填写去了哪里',
    en: 'Long-term away needs where to, in a 去向 column',
  },
  ROW_UNKNOWN_OCCUPANCY: {
    'zh-CN': '不认识的房屋状态“{{value}}”（自住/出租/空置/群租/商铺）',
    en: 'Unknown occupancy "{{value}}" (自住/出租/空置/群租/商铺)',
  },
  ROW_OCCUPANCY_COLLECTIVE_ON_PAGE: {
    'zh-CN': '集体户需填写类别和名称：请在该户的“住户信息”中登记',
    en: 'A collective household needs its kind and name: record it on the household’s page',
  },
  ROW_UNKNOWN_YES_NO: {
    'zh-CN': '“{{value}}”不是“是”或“否”',
    en: '"{{value}}" is neither 是 nor 否',
  },
  ROW_UNKNOWN_TAG: { 'zh-CN': '不认识的标签“{{value}}”', en: 'Unknown tag "{{value}}"' },
  ROW_DUPLICATE: { 'zh-CN': '与第 {{row}} 行是同一个人', en: 'The same person as row {{row}}' },
  ROW_SEX_SAYS_MALE: { 'zh-CN': '身份证号显示为男性', en: 'The ID number says male' },
  ROW_SEX_SAYS_FEMALE: { 'zh-CN': '身份证号显示为女性', en: 'The ID number says female' },
  ROW_BIRTH_MISMATCH: {
    'zh-CN': '身份证号中的出生日期是 {{expected}}',
    en: 'The ID number says {{expected}}',
  },
  // ID_*, PASSPORT_* and PHONE_* (an identifier's own problems) are core's: src/core/pii/identifiers.messages.ts.
  ROW_GRID_NOT_FOUND: {
    'zh-CN': '{{place}} 没有网格“{{grid}}”',
    en: 'No grid "{{grid}}" in {{place}}',
  },
  ROW_BUILDING_AMBIGUOUS: {
    'zh-CN':
      '{{building}} 号楼在多个网格中都有（{{grids}}），该户也不在其中任何一个：请在文件中加“网格”列，或导入到具体网格',
    en: 'Building {{building}} exists in several grids ({{grids}}) and this household is in none of them: add a 网格 column, or import into one grid',
  },
  ROW_BUILDING_NOT_FOUND: {
    'zh-CN':
      '{{place}} 没有 {{building}} 号楼：勾选“自动补建缺少的楼栋、单元和房号”即可新建（文件需有“网格”列，或导入到具体网格）',
    en: 'Building {{building}} does not exist in {{place}}: tick "create missing buildings, units and rooms" to create it (the file needs a 网格 column, or import into one grid)',
  },
  ROW_BUILDING_NEEDS_GRID: {
    'zh-CN':
      '{{building}} 号楼是新楼栋，不知道建在哪个网格：请在文件中加“网格”列，或导入到具体网格',
    en: 'Building {{building}} is new and its grid is unknown: add a 网格 column, or import into one grid',
  },
  ROW_ROOM_NOT_FOUND: {
    'zh-CN':
      '{{building}} 号楼没有 {{unit}} 单元 {{room}} 室：勾选“自动补建缺少的楼栋、单元和房号”即可新建',
    en: 'No room {{room}} in unit {{unit}} of building {{building}}: tick "create missing buildings, units and rooms" to create it',
  },
  ID_NAME_MISMATCH: {
    'zh-CN': '该证件号码已登记为“{{name}}”：请核对证件号码或姓名（改名请到居民详情页修改）',
    en: "This ID number is registered to {{name}}; check the ID or the name (names are changed on the resident's page)",
  },
  ID_REGISTERED_ELSEWHERE_DRY_RUN: {
    'zh-CN':
      '该证件号码已在您的管辖范围之外登记；正式导入时会提交迁入申请，由其登记所在社区确认或提出异议',
    en: 'This ID number is registered outside your area; importing files a transfer request, which the community where the person is registered confirms or disputes',
  },
  ID_REGISTERED_ELSEWHERE: {
    'zh-CN': '该证件号码已在您的管辖范围之外登记；已提交迁入申请，由其登记所在社区确认或提出异议',
    en: 'This ID number is registered outside your area; a transfer request was filed, which the community where the person is registered confirms or disputes',
  },

  // What was repaired in a row (imported as repaired).
  REPAIR_NUMBER_AS_TEXT: {
    'zh-CN': '以数字形式保存，已按文本读取',
    en: 'Was stored as a number; read as text',
  },
  REPAIR_EXCEL_DATE: {
    'zh-CN': 'Excel 日期序号已转换为 {{value}}',
    en: 'Excel date serial converted to {{value}}',
  },
  REPAIR_MERGED_CELL: {
    'zh-CN': '为空，按上一行（合并单元格）取为 {{value}}',
    en: 'Empty; taken from the row above (merged cell) as {{value}}',
  },
  REPAIR_LOWERCASE_X: { 'zh-CN': '末位小写 x 已改为大写 X', en: 'Lowercase x changed to X' },
  REPAIR_SPACES_REMOVED: { 'zh-CN': '已去掉其中的空格或连字符', en: 'Spaces or dashes removed' },
  REPAIR_FULL_WIDTH: {
    'zh-CN': '全角字符已改为半角',
    en: 'Full-width characters changed to half-width',
  },
  REPAIR_COUNTRY_CODE: {
    'zh-CN': '已去掉国家代码 {{prefix}}',
    en: 'Country code {{prefix}} removed',
  },

  // Once per job, not per row.
  IMPORT_NOTICE_AMBIGUOUS_BUILDINGS: {
    'zh-CN':
      '这些楼栋号在多个网格中重复：{{buildings}}。已按房号所在网格归户；找不到房号的行请加“网格”列，或导入到具体网格',
    en: 'These building numbers repeat across grids: {{buildings}}. Rows were placed by the grid whose household they name; for the rest add a 网格 column, or import into one grid',
  },
  IMPORT_NOTICE_BUILDINGS_CREATED: {
    'zh-CN': '新建了 {{count}} 栋楼：{{buildings}}',
    en: 'Created {{count}} buildings: {{buildings}}',
  },

  // The rejected-rows file.
  ERRORFILE_SHEET: { 'zh-CN': '未导入的行', en: 'Rows not imported' },
  ERRORFILE_ROW: { 'zh-CN': '原行号', en: 'Row' },
  ERRORFILE_COLUMN: { 'zh-CN': '错误列', en: 'Column' },
  ERRORFILE_REASON: { 'zh-CN': '原因', en: 'Reason' },
  ERRORFILE_NAME: { 'zh-CN': '{{name}}-未导入', en: '{{name}}-not-imported' },
  ERRORFILE_MASKED: { 'zh-CN': '已脱敏', en: 'masked' },
  REASON_SEPARATOR: { 'zh-CN': '；', en: '; ' },

  // Columns, when a reason names a field the file has no header for.
  FIELD_idNumber: { 'zh-CN': '身份证号', en: 'ID number' },
  FIELD_idType: { 'zh-CN': '证件类型', en: 'Document type' },
  FIELD_sex: { 'zh-CN': '性别', en: 'Sex' },
  FIELD_birthDate: { 'zh-CN': '出生日期', en: 'Birth date' },
  FIELD_grid: { 'zh-CN': '网格', en: 'Grid' },
  FIELD_building: { 'zh-CN': '楼栋', en: 'Building' },
  FIELD_unit: { 'zh-CN': '单元', en: 'Unit' },
  FIELD_room: { 'zh-CN': '房号', en: 'Room' },
  FIELD_relation: { 'zh-CN': '户主关系', en: 'Relation to head' },
  FIELD_residenceType: { 'zh-CN': '人员类型', en: 'Residence type' },
  FIELD_employer: { 'zh-CN': '工作单位', en: 'Employer' },
  FIELD_notes: { 'zh-CN': '备注', en: 'Notes' },
  FIELD_tags: { 'zh-CN': '标签', en: 'Tags' },
  FIELD_lifeStatus: { 'zh-CN': '人员状态', en: 'Status' },
  FIELD_statusPlace: { 'zh-CN': '去向', en: 'Whereabouts' },
  FIELD_representative: { 'zh-CN': '户代表', en: 'Household representative' },
  FIELD_occupancy: { 'zh-CN': '房屋状态', en: 'Occupancy' },
  FIELD_mapping: { 'zh-CN': '列对应关系', en: 'Column mapping' },
  FIELD_dryRun: { 'zh-CN': '试导入', en: 'Dry run' },
  FIELD_createMissing: { 'zh-CN': '自动补建', en: 'Create missing' },
})
