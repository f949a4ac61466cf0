'use strict'
// Runs kinesalite for EmbeddedKinesis. Unlike kinesalite's own CLI it binds loopback only, accepts
// port 0 and reports the port the OS chose, and it exits as soon as its parent goes away (stdin
// closes), so a JVM killed without running its shutdown hooks leaves no orphan behind.
// Arguments: port (0: any), transition time in ms, then optionally the LevelDB directory (in memory
// without it).
const kinesalite = require('kinesalite')
require('../client-aborts.js')

const port = Number(process.argv[2] || 0)
const transitionMs = Number(process.argv[3] || 0)
const path = process.argv[4] || undefined

// An install from before leveldown was a direct dependency lacks it; say how to get it rather than fail obscurely.
if (path) {
  try {
    require.resolve('leveldown')
  } catch (e) {
    console.error('kinesalite cannot keep data on disk: leveldown is not installed; delete ' + __dirname +
      '/node_modules and build the emulators module again (it runs npm ci)')
    process.exit(1)
  }
}

const server = kinesalite({
  path,
  createStreamMs: transitionMs,
  deleteStreamMs: transitionMs,
  updateStreamMs: transitionMs,
  shardLimit: 100
})

server.listen(port, '127.0.0.1', () => {
  console.log('kinesalite listening on port ' + server.address().port)
})
server.on('error', (err) => {
  console.error('kinesalite failed: ' + err.message)
  process.exit(1)
})

process.stdin.on('end', () => process.exit(0))
process.stdin.on('error', () => process.exit(0))
process.stdin.resume()
