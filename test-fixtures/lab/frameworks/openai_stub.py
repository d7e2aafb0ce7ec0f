"""The most common exposure there is, as a stub: an OpenAI-compatible API that answers /v1/models
with frontier models. openai_stub.py ADDR PORT open|key  ("key": every request gets OpenAI's own 401)."""
import http.server
import json
import sys

MODELS = {"object": "list", "data": [{"id": "gpt-4o", "owned_by": "openai"}, {"id": "claude-sonnet-4", "owned_by": "anthropic"}]}
UNAUTHORIZED = {"error": {"message": "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
                          "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if sys.argv[3] == "key":
            self.answer(401, UNAUTHORIZED)
        elif self.path == "/v1/models":
            self.answer(200, MODELS)
        else:
            self.send_error(404)

    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.command, self.path))


http.server.ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()
