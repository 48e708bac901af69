// Builds the admin page and the H5 site before `npm start` when a build is missing, so a fresh clone
// serves every page after `npm install && npm start`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const builds = [
  { workspace: "@govinfo/admin", index: "client/admin/dist/index.html", script: "build" },
  { workspace: "@govinfo/miniapp", index: "client/miniapp/dist/h5/index.html", script: "build:h5" },
];
for (const build of builds) {
  if (existsSync(build.index)) continue;
  console.log(`building ${build.workspace} (first start only)…`);
  const result = spawnSync("npm", ["run", build.script, "-w", build.workspace], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(
      `could not build ${build.workspace}; the API still starts, the page will say it is not built`,
    );
  }
}
