package org.edgegate.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = HttpConfig.PID, name = "EdgeGate camera streams (HTTP)",
        description = "MJPEG streams and snapshots of every camera on the gateway's HTTP server: "
                + "/edgegate/cameras/<id>/stream.mjpg (optional ?fps=N) and /edgegate/cameras/<id>/snapshot.jpg. "
                + "Clients log in as to the Web Console (same user and password) or give the token below. "
                + "Also what every request to the HTTP server passes first: methods, body size, origin, login attempts.")
public @interface HttpConfig {
    String PID = "org.edgegate.http";

    @AttributeDefinition(name = "Token", type = AttributeType.PASSWORD,
            description = "For clients that cannot log in with a user and password: sent as ?token=... or as the "
                    + "header 'Authorization: Bearer ...'. Empty: no token accepted, only the Web Console's login. "
                    + "Use a long random string (e.g. openssl rand -hex 24). The key is .token: a leading dot keeps it "
                    + "out of the service registry (the old key token still works, with a warning).")
    String _token() default "";

    /** The token's key before it was private: still read, with a warning. */
    String LEGACY_TOKEN = "token";

    @AttributeDefinition(name = "Maximum streams",
            description = "MJPEG clients served at once, all cameras together; more are refused with 503. "
                    + "A stream holds no thread while it waits for frames.", min = "1", max = "" + StreamLimit.MOST)
    int maxStreams() default StreamLimit.DEFAULT;

    @AttributeDefinition(name = "Maximum request body (bytes)",
            description = "Any request to the gateway's HTTP server (Web Console included) declaring a larger body "
                    + "is refused with 413 before it is read; a body without a declared length gets 411. "
                    + "Raise it to upload larger bundles through the Web Console.", min = "1024")
    long maxRequestBytes() default 16L << 20;

    @AttributeDefinition(name = "Allowed origins",
            description = "Origins (scheme://host[:port]) whose pages may send state-changing requests (POST) "
                    + "besides the server's own, e.g. https://gateway.example.com behind a reverse proxy that "
                    + "changes the Host header. Requests whose Origin or Referer names another site are refused "
                    + "with 403 (cross-site request forgery).")
    String[] allowedOrigins() default {};
}
