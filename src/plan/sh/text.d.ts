// A .sh file imported as its text (src/plan/sh.ts).
declare module '*.sh' {
  const text: string;
  export default text;
}
