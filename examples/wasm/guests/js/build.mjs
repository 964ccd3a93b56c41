// Builds guest.wasm from guest.js with componentize-js: `npm ci && node build.mjs`.
// The WIT is the host's own (crates/weft-wasm/wit), so guest and host
// never disagree on the world.
import { componentize } from "@bytecodealliance/componentize-js";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const wit = join(here, "../../../../crates/weft-wasm/wit");
// componentize-js reads the WIT through a WASI sandbox: give it a copy.
const dir = await mkdtemp(join(tmpdir(), "weft-wit-"));
try {
  await cp(wit, dir, { recursive: true });
  const { component } = await componentize({
    sourcePath: join(here, "guest.js"),
    witPath: dir,
    worldName: "activity",
    // Guests get no network: leave fetch() out of the engine.
    disableFeatures: ["http", "fetch-event"],
  });
  await writeFile(join(here, "guest.wasm"), component);
  console.log(`wrote guest.wasm (${component.length} bytes)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
