<#-- An nginx server in front of one service: TLS, basic auth, a per-source rate limit. Values are
     typed (addresses, ports) or made safe (the service name) by the emitter. -->
# Put ${name} (port ${port}) behind TLS, a password and a rate limit.
# 1. bind the service to 127.0.0.1:${port} (see README.md); 2. create ${dir}/tls.crt, tls.key and htpasswd (htpasswd -c ${dir}/htpasswd USER);
# 3. copy this file to /etc/nginx/conf.d/; nginx -t && systemctl reload nginx.
limit_req_zone $binary_remote_addr zone=${zone}:10m rate=5r/s;
server {
<#list listens as l>
    listen ${l} ssl;
</#list>
    ssl_certificate     ${dir}/tls.crt;
    ssl_certificate_key ${dir}/tls.key;
    ssl_protocols       TLSv1.2 TLSv1.3;
    auth_basic           "restricted";
    auth_basic_user_file ${dir}/htpasswd;
    client_max_body_size 64m;
    location / {
        limit_req zone=${zone} burst=20 nodelay;
        limit_req_status 429;
        proxy_pass http://127.0.0.1:${port};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto https;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_read_timeout 600s;
        proxy_buffering off;
    }
}
