# Varnish in front of the Newsroom origins (Django under gunicorn).
#
# The origin decides what may be kept and for how long: public answers carry
# `Cache-Control: public, ..., s-maxage=N` and `Surrogate-Key: story-12 topic-3 ...`;
# a change sends `PURGE /` with `xkey-purge: <keys>` and every object tagged with
# one of those keys is dropped. Everything else is passed through untouched.
vcl 4.1;

import directors;
import std;
import xkey;

# Backends `origin1..N` (each probing /healthz), the round-robin director `origins`
# over them (in its vcl_init), `acl purgers`, `acl proxies`, `sub newsroom_admin`
# (passes the admin's path) and `sub newsroom_next_origin` (a retry's origin); written
# by deploy/varnish.py per site.
include "origins.vcl";

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header"));
        }
        # A hard purge: a story taken down must never be served again, not even stale.
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged"));
    }

    # Which scheme a reader used is the TLS proxy's word (`acl proxies`), no one else's;
    # Varnish itself appends the client's address to X-Forwarded-For.
    if (client.ip !~ proxies) {
        unset req.http.X-Forwarded-Proto;
    }

    set req.backend_hint = origins.backend();
    # A healthy origin is asked again once a copy is 10 s past its lifetime; a sick
    # one (every /healthz failing) leaves the copy's full grace to readers.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }

    # Tracking parameters do not change the page: they would only split the cache.
    set req.url = regsuball(req.url, "(?i)(?<=[?&])(utm_[^=&]*|fbclid|gclid|mc_cid|mc_eid)(=[^&]*)?(&|$)", "");
    set req.url = std.querysort(req.url);
    set req.url = regsub(req.url, "[?&]+$", "");

    if (req.method != "GET" && req.method != "HEAD") {
        # Varnish, not a gunicorn worker, waits for a slow upload: the body is read
        # whole before the origin is asked. One larger than a photo upload can be
        # (IMAGE_MAX_BYTES and the form around it) is refused unread.
        if (std.integer(req.http.Content-Length, 0) > 26214400) {
            return (synth(413, "Request body too large"));
        }
        if (req.http.Content-Length || req.http.Transfer-Encoding) {
            if (!std.cache_req_body(25MB)) {
                return (synth(413, "Request body too large"));
            }
        }
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # The admin (at the site's ADMIN_PATH, see origins.vcl), shared previews of
    # unpublished stories and the health check are never served from a copy.
    call newsroom_admin;
    # Previews are in every language's edition: /preview/ and /uk/preview/.
    if (req.url ~ "^(/[a-z]{2,3}(-[a-z0-9]+)?)?/preview/" || req.url ~ "^/healthz(/|\?|$)") {
        return (pass);
    }
    # A signed-in editor sees the site through their session (and keeps it).
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Readers' cookies (analytics, a stale csrftoken) would otherwise make every
    # request a pass; the public site reads none of them.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # A failed background refresh keeps the stale copy instead of replacing it.
    if (bereq.is_bgfetch && beresp.status >= 500) {
        return (abandon);
    }
    # Text is kept (and passed on) gzipped: compressed once per copy, not per reader;
    # a reader whose client does not take gzip gets it unpacked. An answer the
    # origin compressed already is left as it is; images are compressed already.
    if (beresp.http.Content-Type ~ "(?i)^(text/(html|plain|css|csv|javascript|xml)|application/(([a-z0-9.-]+\+)?(json|xml)|javascript|x-javascript))\s*(;|$)") {
        set beresp.do_gzip = true;
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Only what the origin calls public is shared; a personal answer, one that sets
    # a cookie, or an error is fetched afresh for everyone. The short hit-for-miss
    # spares the next requests for the URL from queueing behind each other's fetch.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "(?i)(^|[\s,])public([\s,]|$)"
        || beresp.http.Cache-Control ~ "(?i)(no-cache|no-store|private)"
        || beresp.status >= 500) {
        set beresp.ttl = 10s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # vmod_xkey indexes the object by its `xkey` header.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
        unset beresp.http.Surrogate-Key;
    }
    # The TTL is the origin's s-maxage (Varnish's own rule); past it, a copy may
    # still stand in for a day while the origin is down (see req.grace above).
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_backend_fetch {
    if (bereq.retries > 0) {
        call newsroom_next_origin;
    }
}

sub vcl_backend_error {
    # The origin asked did not answer (stopped, or cut off mid-answer): a read is
    # asked of the next origin, before the probe has marked this one sick. Never a
    # form: sent twice it could be saved twice.
    if (bereq.retries < 2 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        # The next origin in turn (`newsroom_next_origin`, origins.vcl), not the
        # director's choice, which may be this one again.
        set bereq.http.X-Failed-Origin = beresp.backend.name;
        return (retry);
    }
    # No origin answered. A background refresh leaves the stale copy in place;
    # a reader's fetch ends in vcl_synth's "briefly unavailable" page.
    return (abandon);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are for purging only and say what a page is made of.
    unset resp.http.Surrogate-Key;
    unset resp.http.xkey;
}

sub vcl_synth {
    set resp.http.X-Cache = "MISS";
    set resp.http.Cache-Control = "no-store";
    if (resp.status == 200 && req.http.X-Purged) {
        set resp.http.X-Purged = req.http.X-Purged;
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        synthetic("Purged " + req.http.X-Purged + " objects." + {"
"});
        return (deliver);
    }
    if (resp.status == 503) {
        set resp.http.Retry-After = "30";
        set resp.http.Content-Type = "text/html; charset=utf-8";
        synthetic({"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Briefly unavailable</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 4em auto; padding: 0 1em">
<h1>Briefly unavailable</h1>
<p>The site is briefly unavailable; please try again in a minute.</p>
</body>
</html>
"});
        return (deliver);
    }
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    synthetic(resp.reason + {"
"});
    return (deliver);
}
