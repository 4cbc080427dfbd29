package org.edgegate.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = HttpConfig.PID, name = "EdgeGate camera streams (HTTP)",
        description = "MJPEG streams and snapshots of every camera on the gateway's HTTP server: "
                + "/edgegate/cameras/<id>/stream.mjpg (optional ?fps=N) and /edgegate/cameras/<id>/snapshot.jpg. "
                + "Clients log in as to the Web Console (same user and password) or give the token below.")
public @interface HttpConfig {
    String PID = "org.edgegate.http";

    @AttributeDefinition(name = "Token", type = AttributeType.PASSWORD,
            description = "For clients that cannot log in with a user and password: sent as ?token=... or as the "
                    + "header 'Authorization: Bearer ...'. Empty: no token accepted, only the Web Console's login. "
                    + "Use a long random string (e.g. openssl rand -hex 24).")
    String token() default "";

    @AttributeDefinition(name = "Maximum streams",
            description = "MJPEG clients served at once, all cameras together; more are refused with 503. "
                    + "A stream holds no thread while it waits for frames.", min = "1", max = "1000")
    int maxStreams() default 16;
}
