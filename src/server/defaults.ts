// The server's default address, in a module of its own so that the command line can show it
// in `muscat serve --help` without loading the server.
export const DEFAULT_PORT = 4747;
export const DEFAULT_HOST = "127.0.0.1";
