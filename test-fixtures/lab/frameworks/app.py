# A one-route ASGI app: what most Python model servers look like to a scanner before their routes
# (uvicorn underneath, nothing identifiable). Run by frameworks.sh under Debian's python3-uvicorn.
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    ok = scope["path"] == "/"
    await send({"type": "http.response.start", "status": 200 if ok else 404,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"status":"ok"}' if ok else b'{"detail":"Not Found"}'})
