// The simulator lives in ./atlas-simulator/; this module keeps the import path tests use.
export {
  AtlasSimulator,
  SIMULATOR_CLIENT_ID,
  SIMULATOR_CLIENT_SECRET,
  SIMULATOR_PRIVATE_API_KEY,
  SIMULATOR_PUBLIC_API_KEY,
  startAtlasSimulator,
} from "./atlas-simulator/atlas-simulator.ts";
export type { DigestRejection } from "./atlas-simulator/digest-verifier.ts";
export type {
  AtlasFault,
  AtlasSimulatorOptions,
  RestoreJobListHooks,
  SimulatedRestoreJob,
  SimulatorRateLimit,
  SimulatorRequest,
} from "./atlas-simulator/simulator-types.ts";
