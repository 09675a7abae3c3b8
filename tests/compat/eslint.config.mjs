// The API half of the compatibility check (tests/test_compat.py): eslint-plugin-compat against
// the project's .browserslistrc. Syntax is es-check's half; nothing else is linted here.
import compat from "eslint-plugin-compat";

export default [
  {
    files: ["**/*.js"],
    plugins: { compat },
    languageOptions: { ecmaVersion: "latest", sourceType: "script" },
    settings: { lintAllEsApis: true },
    rules: { "compat/compat": "error" },
  },
];
