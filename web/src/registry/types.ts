export interface Resident {
  id: string
  name: string
  idType: string
  idNumber: string | null
  phone: string | null
  revealed: ('id' | 'phone')[]
  sex: string | null
  birthDate: string | null
  age: number | null
  relation: string | null
  residenceType: string
  employer: string | null
  notes: string | null
  status: string
  householdId: string | null
  householdLabel: string | null
  gridId: string | null
  tags: string[]
}

export interface ResidentDetail extends Resident {
  household: { id: string; name: string; relation: string | null; age: number | null }[]
  events: { kind: string; at: string; actorName: string; fromHousehold: string | null; toHousehold: string | null; detail: Record<string, unknown> | null }[]
  tagDetails: { tag: string; setBy: string; setAt: string }[]
}

export const KNOWN_TAGS = ['chronic_disease', 'chronic_key', 'chronic_sub_key', 'dialysis', 'chemotherapy', 'pregnancy', 'living_alone', 'disabled', 'minor_alone', 'mental_illness', 'bedridden', 'key_job']
export const RESIDENCE_TYPES = ['registered', 'permanent', 'floating', 'tenant']
export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'tenant', 'other']

/** A node of the registry tree: a division, or a building, unit or household below a grid. */
export interface PlaceNode {
  key: string
  title: string
  kind: 'district' | 'street' | 'community' | 'grid' | 'building' | 'unit' | 'household'
  id: string
  isLeaf: boolean
  children?: PlaceNode[]
}

/** A transfer request (转入/转出申请) as one side sees it; see transferOut in src/registry/registry.schema.ts. */
export interface Transfer {
  id: string
  direction: 'in' | 'out'
  status: 'requested' | 'confirmed' | 'disputed'
  typedName: string
  typedPhone: string | null
  toHousehold: string
  toGrid: string
  residentId: string | null
  residentName: string | null
  fromHousehold: string | null
  fromGrid: string | null
  requestedBy: string
  requestedAt: string
  decidedBy: string | null
  decidedAt: string | null
  reason: string | null
  canDecide: boolean
}
