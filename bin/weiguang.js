#!/usr/bin/env node
// The `weiguang` operator CLI: runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli/main.ts')
await main()
