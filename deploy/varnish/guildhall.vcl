vcl 4.1;
# Varnish in front of Guildhall (gunicorn): anonymous pages are shared per host, everything
# personal passes, and the app purges what a change touches (PURGE of a URL, BAN of a prefix)
# through a listener of its own, named "purge", on loopback. The app decides what is kept and
# for how long (Surrogate-Control: max-age=N, for Varnish alone; browsers and other caches
# get Cache-Control: public, max-age=0 and revalidate).
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
    # The key is the host without its port: the app takes absolute addresses from the
    # portal's site, never from the Host header, so the port changes nothing in a page.
    set req.http.X-Cache-Host = std.tolower(regsub(req.http.host, ":[0-9]+$", ""));
    # nginx on this machine appended the visitor to X-Forwarded-For; Varnish's own hop (nginx)
    # is dropped, so the app counts one proxy (TRUSTED_PROXIES=1) with or without Varnish.
    if (client.ip ~ purgers && local.socket != "purge") {
        set req.http.X-Forwarded-For = regsub(req.http.X-Forwarded-For, ",\s*[^,]*$", "");
    }

    if (req.method == "PURGE" || req.method == "BAN") {
        # Only from the app: on the purge listener, from loopback (nginx, also on loopback,
        # forwards visitors to the public listener, where purges are refused).
        if (local.socket != "purge" || client.ip !~ purgers) {
            return (synth(405, "Not allowed."));
        }
        # Ban arguments are taken as they are (no quoting): a host and a path have no spaces.
        if (req.http.X-Cache-Host !~ "^[-a-z0-9.\[\]:]+$" || req.url ~ "\s") {
            return (synth(400, "Bad purge."));
        }
        if (req.method == "PURGE") {
            # Every variant of the URL (both schemes; see vcl_purge) is removed at once.
            set req.url = regsub(req.url, "\?.*$", "");
            if (req.restarts == 0) {
                unset req.http.X-Forwarded-Proto;
            }
            return (purge);
        }
        if (req.http.X-Ban-Prefix !~ "^/[-a-zA-Z0-9_/.]*$") {
            return (synth(400, "X-Ban-Prefix must be a path."));
        }
        ban("obj.http.X-Cache-Host == " + req.http.X-Cache-Host +
            " && obj.http.X-Cache-Url ~ ^" + req.http.X-Ban-Prefix);
        return (synth(200, "Banned."));
    }
    if (local.socket == "purge") {
        return (synth(405, "This listener takes purges only."));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, member pages, accounts, the form-token endpoint and alert management are
    # personal; the API keeps its query (its filters) and answers revalidate by ETag; the
    # sponsored slots' counters must reach the app every time.
    if (req.url ~ "^/(admin|members|accounts|market|django-admin|alerts|api|sponsored)(/|$)") {
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

sub vcl_purge {
    # A purge of the http variant goes on to the https one (the scheme is part of the key).
    if (!req.http.X-Forwarded-Proto) {
        set req.http.X-Forwarded-Proto = "https";
        return (restart);
    }
    return (synth(200, "Purged."));
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
    # Kept only when the app says so (Surrogate-Control: max-age=N) and sets no cookie.
    if (beresp.http.Set-Cookie || beresp.http.Surrogate-Control !~ "max-age=[0-9]+" ||
        beresp.http.Cache-Control ~ "(private|no-store)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    set beresp.ttl = std.duration(
        regsub(beresp.http.Surrogate-Control, "^.*max-age=([0-9]+).*$", "\1s"), 120s);
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
    unset resp.http.Surrogate-Control;
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
