// A one-route Node http server: node server.js ADDR PORT
require('http').createServer((req, res) => {
  res.statusCode = req.url === '/' ? 200 : 404;
  res.end(req.url === '/' ? 'ok' : 'not found');
}).listen(+process.argv[3], process.argv[2]);
