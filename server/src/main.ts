// Entry of dist/server.js: the transport (node IPC, --stdio, --socket=…) comes from the command line.
import { startServer } from './server';

startServer();
