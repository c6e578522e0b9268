/**
 * Risk areas (issue 11): the routes' entry points. Reading lives in zones.read.service.ts,
 * decisions in zones.decide.service.ts, their effects on the people inside in
 * zones.effects.service.ts.
 */
export { areaDetail, listAreas, zoneSettings } from './zones.read.service.js'
export { changeAreaLevel, createArea, liftArea, widenArea } from './zones.decide.service.js'
