'use strict'
// kinesalite and dynalite rethrow a request's 'error' event ("aborted", ECONNRESET: the client closed
// the connection mid-request, e.g. a JVM thread interrupted during a call), which kills the whole
// emulator and every test or stack still using it. A client going away is that client's failure, not
// the emulator's: note it and keep serving. Any other uncaught error still ends the process.
process.on('uncaughtException', (err) => {
  if (err && (err.code === 'ECONNRESET' || err.message === 'aborted')) {
    console.error('a client closed its connection mid-request (' + (err.code || err.message) + '); still serving')
    return
  }
  console.error(err && err.stack ? err.stack : String(err))
  process.exit(1)
})
