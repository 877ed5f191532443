vcl 4.1;
# Varnish in front of Guildhall (gunicorn): anonymous pages are shared per host, everything
# personal passes, and the app purges what a change touches (PURGE of a URL, BAN of a prefix,
# from loopback only). The app's Cache-Control decides what is kept and for how long.
# `scripts/varnish.sh` starts varnishd with this file, the backend's address replacing the
# one below; docs/deployment.md shows it between nginx (TLS) and gunicorn.

import std;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 30s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # Headers that could make the app answer differently than the cache key says: never
    # taken from visitors. The scheme is part of the key (see vcl_hash).
    unset req.http.X-Forwarded-Host;
    unset req.http.X-Forwarded-Server;
    unset req.http.X-Forwarded-Port;
    unset req.http.X-Original-URL;
    unset req.http.X-Rewrite-URL;
    unset req.http.X-Host;
    if (req.http.X-Forwarded-Proto !~ "^https?$") {
        unset req.http.X-Forwarded-Proto;
    }
    set req.http.X-Cache-Host = std.tolower(regsub(req.http.host, ":[0-9]+$", ""));

    if (req.method == "PURGE" || req.method == "BAN") {
        # Ban arguments are taken as they are (no quoting): a host and a path have no spaces.
        if (req.http.X-Cache-Host !~ "^[-a-z0-9.\[\]:]+$" || req.url ~ "\s") {
            return (synth(400, "Bad purge."));
        }
        if (client.ip !~ purgers) {
            return (synth(405, "Purges are accepted from loopback only."));
        }
        if (req.method == "PURGE") {
            ban("obj.http.X-Cache-Host == " + req.http.X-Cache-Host +
                " && obj.http.X-Cache-Url == " + regsub(req.url, "\?.*$", ""));
            return (synth(200, "Purged."));
        }
        if (req.http.X-Ban-Prefix !~ "^/[-a-zA-Z0-9_/.]*$") {
            return (synth(400, "X-Ban-Prefix must be a path."));
        }
        ban("obj.http.X-Cache-Host == " + req.http.X-Cache-Host +
            " && obj.http.X-Cache-Url ~ ^" + req.http.X-Ban-Prefix);
        return (synth(200, "Banned."));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, member pages, accounts and the form-token endpoint are personal.
    if (req.url ~ "^/(admin|members|accounts|market|django-admin)(/|$)") {
        return (pass);
    }
    # A visitor with a session or a message waiting gets pages of their own.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Other cookies (the CSRF cookie, analytics) do not change a shared page.
    unset req.http.Cookie;
    # Only the search keeps its query (sorted); elsewhere the app reads none.
    if (req.url ~ "^/search/") {
        set req.url = std.querysort(req.url);
    } else {
        set req.url = regsub(req.url, "\?.*$", "");
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.http.X-Cache-Host);
    hash_data(req.url);
    hash_data(req.http.X-Forwarded-Proto);
    return (lookup);
}

sub vcl_backend_response {
    # What bans are matched against (and the ban lurker can test without the request).
    set beresp.http.X-Cache-Host = bereq.http.X-Cache-Host;
    set beresp.http.X-Cache-Url = regsub(bereq.url, "\?.*$", "");
    # Kept only when the app says so (Cache-Control: public, s-maxage) and sets no cookie.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "public" ||
        beresp.http.Cache-Control ~ "(private|no-store)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Served stale for a moment while a fresh copy is fetched, and longer if the app is down.
    set beresp.grace = 1h;
    return (deliver);
}

sub vcl_backend_error {
    # The app is unreachable and nothing stale is left: a plain, short 503.
    set beresp.http.Content-Type = "text/plain; charset=utf-8";
    set beresp.http.Retry-After = "30";
    set beresp.body = "The portal is briefly unavailable. Please try again in a moment.";
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.X-Cache-Host;
    unset resp.http.X-Cache-Url;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
