import { defineMessages } from '../core/i18n/messages.js'

/**
 * Every text the `weiguang` CLI prints or shows in its help, zh-CN and English (`--lang`, else
 * LANG, else Chinese). Tokens in single braces (`{bar}`, `{value}`) are cli-progress's, not
 * params. Machine-read lines (a signed head, a token, a curl example) are not words and stay
 * out of the catalogue.
 */
export const cliMessages = defineMessages({
  // The program.
  CLI_DESC: { 'zh-CN': '微光（Weiguang）运维命令', en: 'Weiguang (微光) operator commands' },
  CLI_OPT_LANG: {
    'zh-CN': '输出语言：zh-CN（默认）或 en；不写时按 LANG 环境变量',
    en: 'language of the output: zh-CN (default) or en; without it, from LANG',
  },
  CLI_OPT_HELP: { 'zh-CN': '显示帮助', en: 'display help' },
  CLI_DESC_HELP: { 'zh-CN': '显示某个命令的帮助', en: 'display help for a command' },
  CLI_HELP_AFTER_ERROR: { 'zh-CN': '（加 --help 查看用法）', en: '(add --help for usage)' },
  CLI_ERROR: { 'zh-CN': '错误：{{message}}', en: 'error: {{message}}' },
  // Commander's parse errors (src/cli/commander-errors.ts).
  CLI_PARSE_UNKNOWN_OPTION: {
    'zh-CN': '错误：没有 {{option}} 这个选项',
    en: "error: unknown option '{{option}}'",
  },
  CLI_PARSE_UNKNOWN_COMMAND: {
    'zh-CN': '错误：没有 {{command}} 这个命令',
    en: "error: unknown command '{{command}}'",
  },
  CLI_PARSE_MISSING_ARGUMENT: {
    'zh-CN': '错误：缺少参数 {{argument}}',
    en: "error: missing required argument '{{argument}}'",
  },
  CLI_PARSE_OPTION_VALUE: {
    'zh-CN': '错误：选项 {{option}} 后面要写一个值',
    en: "error: option '{{option}}' needs a value",
  },
  CLI_PARSE_REQUIRED_OPTION: {
    'zh-CN': '错误：必须写选项 {{option}}',
    en: "error: required option '{{option}}' not specified",
  },
  CLI_PARSE_CHOICES: {
    'zh-CN': '错误：选项 {{option}} 的值“{{value}}”不在可选范围内，可选：{{choices}}',
    en: "error: option '{{option}}' argument '{{value}}' is not one of {{choices}}",
  },
  CLI_PARSE_INVALID_VALUE: {
    'zh-CN': '错误：选项 {{option}} 的值“{{value}}”不对：{{detail}}',
    en: "error: option '{{option}}' argument '{{value}}' is invalid: {{detail}}",
  },
  CLI_PARSE_INVALID_ARGUMENT: {
    'zh-CN': '错误：参数 {{argument}} 的值“{{value}}”不对：{{detail}}',
    en: "error: argument '{{argument}}' value '{{value}}' is invalid: {{detail}}",
  },
  CLI_PARSE_TOO_MANY: {
    'zh-CN': '错误：参数太多：应为 {{expected}} 个，实际 {{got}} 个',
    en: 'error: too many arguments: expected {{expected}}, got {{got}}',
  },
  CLI_PARSE_CONFLICT: {
    'zh-CN': '错误：{{option}} 不能与 {{other}} 同时使用',
    en: 'error: {{option}} cannot be used with {{other}}',
  },
  CLI_PARSE_SUGGESTION: {
    'zh-CN': '（是否想写 {{suggestion}}？）',
    en: '(did you mean {{suggestion}}?)',
  },
  CLI_PARSE_OTHER: { 'zh-CN': '命令行有误：{{message}}', en: 'error: {{message}}' },
  CLI_NO_DIVISION: {
    'zh-CN': '{{option}}：没有代码为 {{code}} 的区划',
    en: '{{option}}: no division with code {{code}}',
  },
  CLI_BAD_RANGE: {
    'zh-CN': '{{option}}：“{{value}}”应写成 N 或 N-M',
    en: '{{option}}: "{{value}}" is not N or N-M',
  },
  CLI_NO_FILE: { 'zh-CN': '文件 {{file}} 不存在', en: 'file: {{file}} does not exist' },
  CLI_NONE: { 'zh-CN': '（无）', en: '(none)' },
  CLI_ALL: { 'zh-CN': '（全部）', en: '(all)' },
  CLI_YES: { 'zh-CN': '是', en: 'yes' },
  CLI_LIST_SEPARATOR: { 'zh-CN': '；', en: '; ' },
  CLI_AND_MORE: { 'zh-CN': '  ……另有 {{count}} 条', en: '  … and {{count}} more' },

  // Database: migrate, backup, restore.
  CLI_DESC_MIGRATE: {
    'zh-CN': '执行待执行的数据库迁移（每次启动时也会执行）',
    en: 'apply pending database migrations (also done on every start)',
  },
  CLI_MIGRATED: {
    'zh-CN': '数据库迁移已完成（{{engine}}）',
    en: 'migrations applied ({{engine}})',
  },
  CLI_DESC_BACKUP: {
    'zh-CN': '把内置数据库写成 .tar.gz（请先停止服务器）；不含密钥文件',
    en: 'write the embedded database to a .tar.gz (stop the server first); the key file is NOT included',
  },
  CLI_BACKUP_POSTGRES: {
    'zh-CN': '已设置 DATABASE_URL：请用 pg_dump 备份 PostgreSQL',
    en: 'DATABASE_URL is set: back up PostgreSQL with pg_dump',
  },
  CLI_BACKUP_WRITTEN: {
    'zh-CN': '备份已写入 {{file}}（{{bytes}} 字节）',
    en: 'backup written to {{file}} ({{bytes}} bytes)',
  },
  CLI_BACKUP_KEEP_KEYS: {
    'zh-CN':
      '请另行妥善保管密钥文件 {{file}}（或 WEIGUANG_SECRET_KEY）：没有它，证件号码和电话都无法读取。',
    en: 'Keep the key file {{file}} (or WEIGUANG_SECRET_KEY) safe separately: without it the ID numbers and phones cannot be read.',
  },
  CLI_BACKUP_KEEP_AUDIT_KEY: {
    'zh-CN': '也请保管 {{file}}（或 WEIGUANG_AUDIT_KEY）：没有它，审计日志无法校验。',
    en: 'Keep {{file}} (or WEIGUANG_AUDIT_KEY) too: without it the audit log cannot be verified.',
  },
  CLI_DESC_RESTORE: {
    'zh-CN': '用备份替换内置数据库（请先停止服务器）',
    en: 'replace the embedded database with a backup (stop the server first)',
  },
  CLI_OPT_FORCE: {
    'zh-CN': '替换已有的数据库（原数据库保留为 pgdata.before-restore-<时间>）',
    en: 'replace an existing database (it is kept as pgdata.before-restore-<time>)',
  },
  CLI_RESTORE_POSTGRES: {
    'zh-CN': '已设置 DATABASE_URL：请用 pg_restore/psql 恢复 PostgreSQL',
    en: 'DATABASE_URL is set: restore PostgreSQL with pg_restore/psql',
  },
  CLI_RESTORE_EXISTS: {
    'zh-CN': '{{dir}} 已存在；要替换它请加 --force',
    en: '{{dir}} exists; pass --force to replace it',
  },
  CLI_RESTORE_MOVED_ASIDE: {
    'zh-CN': '原数据库已移到 {{dir}}',
    en: 'existing database moved to {{dir}}',
  },
  CLI_RESTORED: {
    'zh-CN': '已从 {{file}} 恢复；审计日志完好（{{checked}} 条）',
    en: 'restored from {{file}}; audit log intact ({{checked}} entries)',
  },
  CLI_RESTORED_PROBLEMS: {
    'zh-CN': '已从 {{file}} 恢复；审计日志有问题（{{checked}} 条），请运行 audit verify 查看',
    en: 'restored from {{file}}; audit log HAS PROBLEMS ({{checked}} entries): run audit verify',
  },

  // Accounts.
  CLI_DESC_USER: { 'zh-CN': '管理账号', en: 'manage accounts' },
  CLI_DESC_USER_CREATE: {
    'zh-CN': '创建账号；密码取自 WEIGUANG_PASSWORD 或标准输入',
    en: 'create an account; the password comes from WEIGUANG_PASSWORD or standard input',
  },
  CLI_OPT_USER_SCOPE: {
    'zh-CN': '此人工作的区划代码，用逗号分隔（不写 = 整个系统，仅限管理员）',
    en: 'comma-separated division codes the user works in (none = whole deployment, admins only)',
  },
  CLI_DESC_USER_RESET: {
    'zh-CN': '设置新密码（取自 WEIGUANG_PASSWORD 或标准输入；或用 --generate 生成一次性密码）',
    en: 'set a new password (WEIGUANG_PASSWORD / stdin, or --generate for a one-time one)',
  },
  CLI_OPT_GENERATE: {
    'zh-CN': '生成并显示一个随机的一次性密码，而不是读取',
    en: 'print a random one-time password instead of reading one',
  },
  CLI_DESC_USER_LIST: { 'zh-CN': '列出账号', en: 'list accounts' },
  CLI_PASSWORD_PROMPT: { 'zh-CN': '密码：', en: 'Password: ' },
  CLI_NEW_PASSWORD_PROMPT: { 'zh-CN': '新密码：', en: 'New password: ' },
  CLI_NO_PASSWORD: {
    'zh-CN': '没有密码：请设置 WEIGUANG_PASSWORD，或从标准输入传入',
    en: 'no password given: set WEIGUANG_PASSWORD or pipe it on standard input',
  },
  CLI_NO_USER: {
    'zh-CN': '--username：没有用户 {{username}}',
    en: '--username: no user {{username}}',
  },
  CLI_WHOLE_DEPLOYMENT: { 'zh-CN': '整个系统', en: 'whole deployment' },
  CLI_USER_CREATED: {
    'zh-CN': '已创建 {{username}}（{{role}}），范围：{{scope}}；首次登录时须修改密码',
    en: 'created {{username}} ({{role}}) scope: {{scope}}; must change the password at first login',
  },
  CLI_ONE_TIME_PASSWORD: {
    'zh-CN': '{{username}} 的一次性密码：{{password}}',
    en: 'one-time password for {{username}}: {{password}}',
  },
  CLI_PASSWORD_RESET: {
    'zh-CN': '{{username}} 的密码已重置；下次登录时须修改',
    en: 'password of {{username}} reset; it must be changed at next login',
  },
  CLI_COL_USERNAME: { 'zh-CN': '用户名', en: 'username' },
  CLI_COL_NAME: { 'zh-CN': '姓名', en: 'name' },
  CLI_COL_ROLE: { 'zh-CN': '角色', en: 'role' },
  CLI_COL_SCOPE: { 'zh-CN': '范围', en: 'scope' },
  CLI_COL_DISABLED: { 'zh-CN': '已停用', en: 'disabled' },
  CLI_COL_PHONE: { 'zh-CN': '电话', en: 'phone' },

  // The tree and buildings.
  CLI_DESC_TREE: { 'zh-CN': '行政区划', en: 'administrative tree' },
  CLI_DESC_TREE_ADD: {
    'zh-CN': '添加区、街道、社区或网格',
    en: 'add a district, street, community or grid',
  },
  CLI_LEVEL_district: { 'zh-CN': '区', en: 'district' },
  CLI_LEVEL_street: { 'zh-CN': '街道', en: 'street' },
  CLI_LEVEL_community: { 'zh-CN': '社区', en: 'community' },
  CLI_LEVEL_grid: { 'zh-CN': '网格', en: 'grid' },
  CLI_DIVISION_ADDED: {
    'zh-CN': '已添加{{level}} {{code}} {{name}}（{{path}}）',
    en: 'added {{level}} {{code}} {{name}} ({{path}})',
  },
  CLI_DESC_BUILDING: { 'zh-CN': '楼栋、单元和户', en: 'buildings, units and households' },
  CLI_DESC_BUILDING_ADD: {
    'zh-CN': '按单元、楼层和每层房间数建一栋楼（可重复执行）',
    en: 'create a building with units, floors and rooms per floor (idempotent)',
  },
  CLI_OPT_GRID: { 'zh-CN': '网格代码', en: 'grid code' },
  CLI_OPT_BUILDING: { 'zh-CN': '楼栋号，例如 12', en: 'building number, e.g. 12' },
  CLI_OPT_BUILDING_KIND: {
    'zh-CN':
      'block 楼栋（默认）、villager_group 村民小组或 street 街巷；后两者的 --units 是门牌号，--floors/--rooms 只用于按间出租的自建房',
    en: 'block (default), villager_group or street; for the last two --units are house numbers and --floors/--rooms only for houses let room by room',
  },
  CLI_OPT_UNITS: { 'zh-CN': '单元，例如 1-3', en: 'e.g. 1-3' },
  CLI_OPT_FLOORS: { 'zh-CN': '楼层，例如 1-18', en: 'e.g. 1-18' },
  CLI_OPT_ROOMS: {
    'zh-CN': '每层房间，例如 1-4（1201 室 = 12 层 01 号）',
    en: 'rooms per floor, e.g. 1-4 (room 1201 = floor 12, room 01)',
  },
  CLI_BUILDING_ADDED: {
    'zh-CN': '{{building}}：共 {{households}} 户，新建 {{created}} 户',
    en: '{{building}}: {{households}} households, {{created}} new',
  },

  // Roster import.
  CLI_DESC_IMPORT: { 'zh-CN': '导入', en: 'imports' },
  CLI_DESC_IMPORT_RESIDENTS: {
    'zh-CN': '把居民花名册（.xlsx 或 .csv，UTF-8 或 GBK）导入到一个社区（或任一区划）',
    en: 'import a resident roster (.xlsx or .csv, UTF-8 or GBK) under a community (or any division)',
  },
  CLI_OPT_COMMUNITY: { 'zh-CN': '花名册所属区划的代码', en: 'division code the roster belongs to' },
  CLI_OPT_DRY_RUN: {
    'zh-CN': '试导入：只报告将新建、更新、迁入和拒绝的行，不写入任何内容',
    en: 'report what would be created, updated, moved and rejected; write nothing',
  },
  CLI_OPT_CREATE_MISSING: {
    'zh-CN': '自动补建登记中还没有的单元和房间（楼栋须已存在）',
    en: 'create units and rooms that are not in the registry yet (buildings must exist)',
  },
  CLI_OPT_ERRORS: {
    'zh-CN': '未导入的行写到哪个文件（.xlsx；默认在花名册旁边，试导入时不写）',
    en: 'where to write the rejected rows (.xlsx; by default beside the roster, not on a dry run)',
  },
  CLI_IMPORT_PROGRESS: {
    'zh-CN': '导入中 |{bar}| {value} 行  {speed} 行/秒',
    en: 'importing |{bar}| {value} rows  {speed} rows/s',
  },
  CLI_IMPORT_DRY_RUN: { 'zh-CN': '试导入：未写入任何内容。', en: 'DRY RUN: nothing written. ' },
  CLI_IMPORT_SUMMARY: {
    'zh-CN':
      '{{rows}} 行，用时 {{seconds}} 秒（每秒 {{speed}} 行）：新建 {{created}}，迁入 {{moved}}，更新 {{updated}}，未变 {{unchanged}}，拒绝 {{rejected}}',
    en: '{{rows}} rows in {{seconds}} s ({{speed}} rows/s): {{created}} created, {{moved}} moved, {{updated}} updated, {{unchanged}} unchanged, {{rejected}} rejected',
  },
  CLI_IMPORT_EMPTY_ROWS: { 'zh-CN': '，跳过空行 {{count}}', en: ', {{count}} empty rows skipped' },
  CLI_IMPORT_REPAIRED_ROW: {
    'zh-CN': '  第 {{row}} 行已修正：{{notes}}',
    en: '  repaired row {{row}}: {{notes}}',
  },
  CLI_IMPORT_REJECTED_ROW: {
    'zh-CN': '  第 {{row}} 行未导入［{{column}}］：{{reason}}',
    en: '  rejected row {{row}} [{{column}}]: {{reason}}',
  },
  CLI_IMPORT_ERROR_FILE: {
    'zh-CN': '未导入的行及原因：{{file}}（在其中改正后导入该文件即可）',
    en: 'rejected rows with their reasons: {{file}} (fix them there and import that file)',
  },

  // Demo city.
  CLI_DESC_DEMO: {
    'zh-CN': '在空数据库中生成一个南京的模拟街道（玄武区新街口街道），每个角色一个演示账号',
    en: 'fill an empty database with a synthetic street of Nanjing (新街口街道, 玄武区) and one demo account per role',
  },
  CLI_OPT_RESIDENTS: {
    'zh-CN': '居民人数（100 至 5,000,000）',
    en: 'how many residents (100 to 5,000,000)',
  },
  CLI_OPT_SEED: {
    'zh-CN': '随机种子：相同的种子生成相同的城市',
    en: 'the same seed gives the same city',
  },
  CLI_DEMO_RESIDENTS: {
    'zh-CN': '--residents：应为 100 至 5,000,000 的整数',
    en: '--residents: a whole number from 100 to 5,000,000',
  },
  CLI_DEMO_STAGE_tree: { 'zh-CN': '区划', en: 'tree' },
  CLI_DEMO_STAGE_households: { 'zh-CN': '户', en: 'households' },
  CLI_DEMO_STAGE_residents: { 'zh-CN': '居民', en: 'residents' },
  CLI_DEMO_READY: {
    'zh-CN':
      '演示城市已生成，用时 {{seconds}} 秒：{{communities}} 个社区，{{grids}} 个网格，{{buildings}} 栋楼，{{households}} 户，{{residents}} 名居民',
    en: 'demo city ready in {{seconds}} s: {{communities}} communities, {{grids}} grids, {{buildings}} buildings, {{households}} households, {{residents}} residents',
  },
  CLI_DEMO_ACCOUNTS: {
    'zh-CN': '演示账号（密码 {{password}}，无需修改）：',
    en: 'demo accounts (password {{password}}, no forced change):',
  },

  // Testing: codes, labs, results.
  CLI_DESC_CODES: { 'zh-CN': '居民采样码', en: "residents' sampling codes" },
  CLI_DESC_CODES_ISSUE: {
    'zh-CN': '给区划下还没有采样码的在册居民发码',
    en: 'issue a sampling code to every active resident under a division who has none',
  },
  CLI_OPT_DIVISION: {
    'zh-CN': '区划代码（街道、社区或网格）',
    en: 'division code (street, community or grid)',
  },
  CLI_CODES_ISSUED: {
    'zh-CN': '已在{{name}}（{{code}}）下发放 {{count}} 个采样码',
    en: '{{count}} codes issued under {{name}} ({{code}})',
  },
  CLI_DESC_LAB: { 'zh-CN': '检测机构', en: 'testing labs' },
  CLI_DESC_LAB_CREATE: {
    'zh-CN': '创建检测机构的接口账号；其令牌只显示一次',
    en: 'create a lab API account; its bearer token is printed once',
  },
  CLI_LAB_CREATED: {
    'zh-CN': '检测机构 {{name}}：令牌（只显示这一次）{{token}}',
    en: 'lab {{name}}: token (shown once) {{token}}',
  },
  CLI_DESC_RESULTS: { 'zh-CN': '检测结果', en: 'lab results' },
  CLI_DESC_RESULTS_IMPORT: {
    'zh-CN': '导入检测机构的结果文件（.csv 或 .xlsx，含“管码”和“结果”列）',
    en: "import a lab's result file (.csv or .xlsx with 管码/tube and 结果/result columns)",
  },
  CLI_OPT_LAB: { 'zh-CN': '文件来自哪个检测机构', en: 'the lab the file came from' },
  CLI_DESC_TESTING: { 'zh-CN': '核酸检测', en: 'testing' },
  CLI_DESC_SWEEP_OVERDUE: {
    'zh-CN':
      '立即检查超时：超过出结果时限的管、超过复核采样时限的人，各预警一次（服务运行时定时执行）',
    en: 'sweep now for tubes past their turnaround target and rechecks past their deadline, alerting each once (the server runs this on a timer)',
  },
  CLI_SWEEP_OVERDUE_SUMMARY: {
    'zh-CN': '超时检查：新超时 {{tubes}} 管、复核未采样 {{rechecks}} 人，预警 {{alerts}} 条',
    en: 'Overdue sweep: {{tubes}} tubes and {{rechecks}} rechecks newly overdue, {{alerts}} alerts',
  },
  CLI_RESULTS_SUMMARY: {
    'zh-CN':
      '{{rows}} 行：采用 {{applied}}，重复 {{duplicates}}，冲突 {{conflicts}}，拒绝 {{rejected}}；解除 {{cleared}} 人，阳性混管 {{poolPositiveTubes}} 管，安排复检 {{rechecksOrdered}}，确诊阳性 {{confirmed}}',
    en: '{{rows}} rows: {{applied}} applied, {{duplicates}} duplicates, {{conflicts}} conflicts, {{rejected}} rejected; {{cleared}} people cleared, {{poolPositiveTubes}} positive pools, {{rechecksOrdered}} rechecks ordered, {{confirmed}} confirmed positive',
  },
  CLI_OUTCOME_applied: { 'zh-CN': '已采用', en: 'applied' },
  CLI_OUTCOME_duplicate: { 'zh-CN': '重复', en: 'duplicate' },
  CLI_OUTCOME_conflict: { 'zh-CN': '冲突', en: 'conflict' },
  CLI_OUTCOME_rejected: { 'zh-CN': '拒绝', en: 'rejected' },
  CLI_RESULTS_ROW: {
    'zh-CN': '  第 {{row}} 行 {{tube}}：{{outcome}}',
    en: '  row {{row}} {{tube}}: {{outcome}}',
  },
  CLI_RESULTS_ROW_REASON: {
    'zh-CN': '  第 {{row}} 行 {{tube}}：{{outcome}}（{{reason}}）',
    en: '  row {{row}} {{tube}}: {{outcome}} ({{reason}})',
  },

  // Audit log.
  CLI_DESC_AUDIT: { 'zh-CN': '审计日志', en: 'audit log' },
  CLI_DESC_AUDIT_VERIFY: {
    'zh-CN': '用签名的链头校验带密钥的哈希链；有条目被改、被删或被重新串链时退出码为 1',
    en: 'check the keyed hash chain against the signed heads; exits 1 when entries were changed, removed or re-chained',
  },
  CLI_OPT_HEAD: {
    'zh-CN': '同时校验保存在别处的签名链头：链头文件的副本，或 audit head 打印的那一行（可写多次）',
    en: 'also check a signed head kept off the machine: a copy of the head file, or the line `audit head` printed (repeatable)',
  },
  CLI_BAD_HEAD: {
    'zh-CN': '--head：{{value}} 既不是链头，也不是链头文件',
    en: '--head: {{value}} is neither a checkpoint nor a file of them',
  },
  CLI_AUDIT_SOURCES: {
    'zh-CN': '审计密钥 {{key}}；链头文件 {{file}}：{{count}} 个链头；--head：{{given}} 个',
    en: 'audit key {{key}}; head file {{file}}: {{count}} checkpoints; --head: {{given}}',
  },
  CLI_AUDIT_UNREADABLE: {
    'zh-CN': '；无法读取的行：{{lines}}',
    en: '; unreadable lines {{lines}}',
  },
  CLI_AUDIT_INTACT: {
    'zh-CN':
      '审计日志完好：已校验 {{checked}} 条，链头为第 {{head}} 条；{{valid}} 个签名链头相符（最新：第 {{latest}} 条，{{at}}）',
    en: 'audit log intact: {{checked}} entries checked, head {{head}}; {{valid}} signed heads match (latest: entry {{latest}} at {{at}})',
  },
  CLI_AUDIT_NOT_ANCHORED: {
    'zh-CN':
      '审计日志没有签名链头可对照（AUDIT LOG NOT ANCHORED）：{{checked}} 条中有 {{count}} 处问题',
    en: 'AUDIT LOG NOT ANCHORED: {{count}} problem(s) in {{checked}} entries',
  },
  CLI_AUDIT_TAMPERED: {
    'zh-CN': '审计日志被篡改（AUDIT LOG TAMPERED）：{{checked}} 条中有 {{count}} 处问题',
    en: 'AUDIT LOG TAMPERED: {{count}} problem(s) in {{checked}} entries',
  },
  CLI_AUDIT_ENTRY: { 'zh-CN': '第 {{id}} 条', en: 'entry {{id}}' },
  CLI_DESC_AUDIT_HEAD: {
    'zh-CN': '签名当前链头，追加到链头文件并打印；请把打印的那一行保存在本机以外',
    en: 'sign the current head, append it to the head file and print it; keep the printed line off this machine',
  },
  CLI_AUDIT_HEAD_TAKEN: {
    'zh-CN': '链头：第 {{id}} 条，共 {{count}} 条，审计密钥 {{key}} 签名；已追加到 {{file}}',
    en: 'head: entry {{id}}, {{count}} entries, signed by audit key {{key}}; appended to {{file}}',
  },
  CLI_AUDIT_HEAD_KEEP: {
    'zh-CN': "请把下面这一行保存在别处；以后用 weiguang audit verify --head '<这一行>' 校验",
    en: "Keep the line below elsewhere; check later with: weiguang audit verify --head '<line>'",
  },

  // Keys for personal data.
  CLI_DESC_KEYS: { 'zh-CN': '个人数据的加密密钥', en: 'keys for personal data at rest' },
  CLI_DESC_KEYS_ROTATE: {
    'zh-CN': '添加新密钥，并用它重新加密所有证件号码和电话（可中断后继续）',
    en: 'add a new key and re-encrypt every ID number and phone with it (resumable)',
  },
  CLI_OPT_CONTINUE: {
    'zh-CN': '不添加密钥，继续用当前密钥完成重新加密',
    en: 'do not add a key; finish re-encrypting under the current one',
  },
  CLI_OPT_PRUNE: {
    'zh-CN': '重新加密后从密钥文件中删除旧密钥',
    en: 'after re-encrypting, drop the old keys from the key file',
  },
  CLI_OPT_BATCH: { 'zh-CN': '每个事务处理的行数', en: 'rows per transaction' },
  CLI_KEYS_FROM_ENV: {
    'zh-CN':
      '密钥来自 WEIGUANG_SECRET_KEY：请把新密钥放在那里、旧密钥放进 WEIGUANG_OLD_SECRET_KEYS，再加 --continue 运行。',
    en: 'Keys come from WEIGUANG_SECRET_KEY: put the new key there and the old in WEIGUANG_OLD_SECRET_KEYS, then run with --continue.',
  },
  CLI_KEY_ADDED: {
    'zh-CN': '新密钥 {{key}} 已加入 {{file}}',
    en: 'new key {{key}} added to {{file}}',
  },
  CLI_KEYS_PROGRESS: {
    'zh-CN': '{table} 已重新加密 {value} 行',
    en: '{table} {value} rows re-encrypted',
  },
  CLI_KEYS_REENCRYPTED: {
    'zh-CN': '已用 {{key}} 重新加密 {{count}} 行',
    en: '{{count}} rows re-encrypted under {{key}}',
  },
  CLI_KEYS_PRUNED: {
    'zh-CN': '旧密钥已从密钥文件中删除',
    en: 'old keys removed from the key file',
  },
  CLI_KEYS_RESTART: {
    'zh-CN': '请重启服务器，使其用新密钥加密。',
    en: 'Restart the server so it encrypts with the new key.',
  },
})

export type CliMessageCode = keyof typeof cliMessages
