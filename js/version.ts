// The package version, for files quantlite writes (kept equal to package.json by a test).
export const VERSION = "0.1.0";
