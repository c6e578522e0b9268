import { Option } from 'commander'
import { inTransaction } from '../../core/db/db.js'
import { createDivision } from '../../core/tree/tree.service.js'
import { LEVELS, type Level } from '../../core/tree/tree.schema.js'
import { buildingNameOf, createBuildingLayout } from '../../registry/registry.service.js'
import { BUILDING_KINDS, type BuildingKind } from '../../registry/registry.vocab.js'
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
  kind?: BuildingKind
  building: string
  units: string
  floors?: string
  rooms?: string
}

/**
 * `building add`: a block with its units, floors and rooms, or (`--kind villager_group` or
 * `street`) a group's or a street's houses, with rooms only for houses let room by room
 * (idempotent).
 */
export async function buildingAdd(cli: Cli, o: BuildingAddOptions): Promise<number> {
  const layout = {
    kind: o.kind ?? 'block',
    units: parseRange('--units', o.units),
    ...(o.floors ? { floors: parseRange('--floors', o.floors) } : {}),
    ...(o.rooms ? { roomsPerFloor: parseRange('--rooms', o.rooms) } : {}),
  }
  return cli.withPlatform(async ({ database }) => {
    const g = await divisionByCode(database.db, '--grid', o.grid)
    const r = await inTransaction(database.db, (tx) =>
      createBuildingLayout(tx, cli.actor, { gridId: g.id, building: o.building, ...layout }),
    )
    cli.out(
      cli.t('CLI_BUILDING_ADDED', {
        building: buildingNameOf(o.building),
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
    .addOption(
      new Option('--kind <kind>', cli.t('CLI_OPT_BUILDING_KIND'))
        .choices(BUILDING_KINDS)
        .default('block'),
    )
    .option('--units <range>', cli.t('CLI_OPT_UNITS'), '1')
    .option('--floors <range>', cli.t('CLI_OPT_FLOORS'))
    .option('--rooms <range>', cli.t('CLI_OPT_ROOMS'))
    .action(act(exit, (o: BuildingAddOptions) => buildingAdd(cli, o)))
}
