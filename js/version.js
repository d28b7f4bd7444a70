// Kept equal to package.json and CMakeLists.txt by tests/js/version.test.js.
export const version = '0.1.0';
