/** Where careprobe keeps its data, and its version: shared with the library (src/api/context.ts). */
export { careprobeHome, databasePath, toolVersion } from "../api/context.js";
