import { Option } from 'commander'
import { inTransaction } from '../../core/db/db.js'
import { createDivision } from '../../core/tree/tree.service.js'
import { LEVELS, type Level } from '../../core/tree/tree.schema.js'
import { createBuildingLayout } from '../../registry/registry.service.js'
import { act, divisionByCode, parseRange, type Cli, type RegisterCommands } from '../context.js'

export interface TreeAddOptions {
  code: string
  name: string
  level: Level
  parent?: string
}

/** `tree add`: a district, street, community or grid. */
export async function treeAdd(cli: Cli, o: TreeAddOptions): Promise<number> {
  return cli.withPlatform(async ({ database }) => {
    const parent = o.parent ? await divisionByCode(database.db, '--parent', o.parent) : undefined
    const d = await inTransaction(database.db, (tx) =>
      createDivision(tx, cli.actor, {
        code: o.code,
        name: o.name,
        level: o.level,
        parentId: parent?.id ?? null,
      }),
    )
    cli.out(
      cli.t('CLI_DIVISION_ADDED', {
        level: cli.t(`CLI_LEVEL_${d.level}`),
        code: d.code,
        name: d.name,
        path: d.path,
      }),
    )
    return 0
  })
}

export interface BuildingAddOptions {
  grid: string
  building: string
  units: string
  floors: string
  rooms: string
}

/** `building add`: a building with its units, floors and rooms (idempotent). */
export async function buildingAdd(cli: Cli, o: BuildingAddOptions): Promise<number> {
  const layout = {
    units: parseRange('--units', o.units),
    floors: parseRange('--floors', o.floors),
    roomsPerFloor: parseRange('--rooms', o.rooms),
  }
  return cli.withPlatform(async ({ database }) => {
    const g = await divisionByCode(database.db, '--grid', o.grid)
    const r = await inTransaction(database.db, (tx) =>
      createBuildingLayout(tx, cli.actor, { gridId: g.id, building: o.building, ...layout }),
    )
    cli.out(
      cli.t('CLI_BUILDING_ADDED', {
        building: o.building,
        households: r.households,
        created: r.created,
      }),
    )
    return 0
  })
}

export const registerRegistryCommands: RegisterCommands = (parent, cli, exit) => {
  parent
    .command('tree')
    .description(cli.t('CLI_DESC_TREE'))
    .command('add')
    .description(cli.t('CLI_DESC_TREE_ADD'))
    .requiredOption('--code <code>')
    .requiredOption('--name <name>')
    .addOption(new Option('--level <level>').choices(LEVELS).makeOptionMandatory())
    .option('--parent <code>')
    .action(act(exit, (o: TreeAddOptions) => treeAdd(cli, o)))

  parent
    .command('building')
    .description(cli.t('CLI_DESC_BUILDING'))
    .command('add')
    .description(cli.t('CLI_DESC_BUILDING_ADD'))
    .requiredOption('--grid <code>', cli.t('CLI_OPT_GRID'))
    .requiredOption('--building <no>', cli.t('CLI_OPT_BUILDING'))
    .option('--units <range>', cli.t('CLI_OPT_UNITS'), '1')
    .requiredOption('--floors <range>', cli.t('CLI_OPT_FLOORS'))
    .requiredOption('--rooms <range>', cli.t('CLI_OPT_ROOMS'))
    .action(act(exit, (o: BuildingAddOptions) => buildingAdd(cli, o)))
}
