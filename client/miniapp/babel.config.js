// Taro's preset (React + TypeScript); import attributes are parsed in case a shared module uses them.
module.exports = {
  presets: [["taro", { framework: "react", ts: true, compiler: "webpack5" }]],
};
