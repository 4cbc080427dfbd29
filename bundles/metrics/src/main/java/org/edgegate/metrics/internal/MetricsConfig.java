package org.edgegate.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EdgeGate metrics",
        description = "/metrics for Prometheus (text format 0.0.4). Scrapers log in with the Web Console's user and "
                + "password (HTTP Basic) or send the bearer token below.")
@interface MetricsConfig {
    @AttributeDefinition(name = "Allow other machines",
            description = "Off: only scrapers on this machine (loopback) are answered, others get 403. On: any address "
                    + "that reaches the HTTP server (which itself listens on 127.0.0.1 unless configured otherwise).")
    boolean allow_remote() default false;

    @AttributeDefinition(name = "Bearer token", type = AttributeType.PASSWORD,
            description = "Optional: a scraper sending 'Authorization: Bearer <token>' is let in as well "
                    + "(Prometheus: authorization.credentials). Empty: Basic only.")
    String _bearer_token() default "";

    @AttributeDefinition(name = "Require login",
            description = "Off: anyone allowed by the address rule above may scrape without credentials.")
    boolean require_login() default true;
}
