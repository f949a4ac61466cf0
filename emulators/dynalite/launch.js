'use strict'
// Runs dynalite for EmbeddedDynamoDb. Unlike dynalite's own CLI it binds loopback only, accepts port 0
// and reports the port the OS chose, and it exits as soon as its parent goes away (stdin closes), so
// a JVM killed without running its shutdown hooks leaves no orphan behind.
// Arguments: port (0: any), then optionally the LevelDB directory (in memory without it).
const dynalite = require('dynalite')
require('../client-aborts.js')

const port = Number(process.argv[2] || 0)
const path = process.argv[3] || undefined

// Tables are ACTIVE at once: the callers wait for ACTIVE anyway, and a delay would only slow starts.
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })

server.listen(port, '127.0.0.1', () => {
  console.log('dynalite listening on port ' + server.address().port)
})
server.on('error', (err) => {
  console.error('dynalite failed: ' + err.message)
  process.exit(1)
})

// Closing the server closes the LevelDB store, so an on-disk table is left consistent; a store
// that does not close in time is abandoned (LevelDB recovers from its log on the next open).
function stop () {
  setTimeout(() => process.exit(0), 3000).unref()
  server.close(() => process.exit(0))
}
process.stdin.on('end', stop)
process.stdin.on('error', stop)
process.on('SIGTERM', stop)
process.stdin.resume()
