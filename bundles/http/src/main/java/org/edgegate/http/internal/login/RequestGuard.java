package org.edgegate.http.internal.login;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.http.internal.HttpConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.Preprocessor;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What every request to the gateway's HTTP server passes before any login is looked at (an HTTP
 * Whiteboard {@link Preprocessor}: it runs for the EdgeGate servlets, the Web Console and its plugins
 * alike): only the methods the gateway serves (GET, HEAD, POST: TRACE, which echoes the request's headers,
 * and OPTIONS are refused); a declared body no larger than the configured maximum (413) and no body
 * without a declared length (411); a state-changing request only from the gateway's own pages (its
 * {@code Origin}, else its {@code Referer}, names the host the request was sent to, or an allowed origin:
 * another site's form or script gets 403); and failed logins counted per client address, logged within
 * limits and slowed ({@link LoginThrottle}: an address that failed too often gets 429 before any password
 * is compared).
 */
@Component(service = { Preprocessor.class, Monitored.class }, configurationPid = HttpConfig.PID)
public class RequestGuard implements Preprocessor, Monitored {
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST");
    private static final Set<String> SAFE = Set.of("GET", "HEAD");

    /** A refusal: status and the short text sent with it. */
    record Refusal(int status, String message) {
    }

    /** The checked settings: the body limit and the origins allowed besides the server's own. */
    record Settings(long maxRequestBytes, List<String> allowedOrigins) {
        static Settings of(HttpConfig c) {
            return new Settings(c.maxRequestBytes(), List.of(c.allowedOrigins()).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).map(RequestGuard::origin)
                    .toList());
        }
    }

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final LoginThrottle throttle = new LoginThrottle();
    private final LongAdder refused = new LongAdder();
    private volatile Settings settings = new Settings(16L << 20, List.of());

    @Activate
    @Modified
    void configure(HttpConfig c) {
        settings = Settings.of(c);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse resp)) {
            chain.doFilter(request, response);
            return;
        }
        Refusal refusal = check(req, settings);
        if (refusal != null) {
            refused.increment();
            if (refusal.status() == HttpServletResponse.SC_METHOD_NOT_ALLOWED) {
                resp.setHeader("Allow", String.join(", ", List.of("GET", "HEAD", "POST")));
            }
            resp.setHeader("Connection", "close");      // an unread body is not worth reading
            resp.sendError(refusal.status(), refusal.message());
            return;
        }
        boolean credentials = carriesCredentials(req);
        String address = String.valueOf(req.getRemoteAddr());
        if (credentials) {
            long wait = throttle.holdBack(address, System.nanoTime() / 1_000_000);
            if (wait > 0) {
                resp.setHeader("Retry-After", Long.toString((wait + 999) / 1000));
                resp.sendError(429, "too many failed logins from this address: try again later");
                return;
            }
        }
        chain.doFilter(req, resp);
        if (credentials && resp.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            String line = throttle.failed(address, req.getMethod() + " " + printable(req.getRequestURI()),
                    System.nanoTime() / 1_000_000);
            if (line != null) {
                log.warn("HTTP: {}", line);
            }
        }
    }

    /** Why this request is refused before any login, or null when it may go on. */
    static Refusal check(HttpServletRequest req, Settings s) {
        String method = req.getMethod();
        if (!METHODS.contains(method)) {
            return new Refusal(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method not served here (GET, HEAD, POST)");
        }
        long length = req.getContentLengthLong();
        if (length > s.maxRequestBytes()) {
            return new Refusal(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    "request body over " + s.maxRequestBytes() + " bytes (maxRequestBytes of " + HttpConfig.PID + ")");
        }
        if (length < 0 && req.getHeader("Transfer-Encoding") != null) {
            return new Refusal(HttpServletResponse.SC_LENGTH_REQUIRED, "a request body needs a Content-Length");
        }
        if (!SAFE.contains(method) && !sameOrigin(req, s.allowedOrigins())) {
            return new Refusal(HttpServletResponse.SC_FORBIDDEN,
                    "cross-site request refused: Origin/Referer is not this server (allowedOrigins of " + HttpConfig.PID + ")");
        }
        return null;
    }

    /**
     * Whether a state-changing request comes from the server's own pages: its Origin (else its Referer)
     * names the host it was sent to, or an allowed origin. Without either header it is no browser's
     * cross-site request (browsers send Origin with every cross-site POST) and may go on.
     */
    static boolean sameOrigin(HttpServletRequest req, List<String> allowed) {
        String from = req.getHeader("Origin");
        if (from == null) {
            from = req.getHeader("Referer");
            if (from == null) {
                return true;
            }
        }
        String origin = origin(from.trim().toLowerCase(Locale.ROOT));
        if (origin.isEmpty()) {
            return false;                       // "null" (sandboxed or privacy-redirected) or unreadable
        }
        if (allowed.contains(origin)) {
            return true;
        }
        String host = req.getHeader("Host");
        return host != null && hostPort(origin).equals(host.trim().toLowerCase(Locale.ROOT));
    }

    /** {@code scheme://host[:port]} of a URL, "" when it has none. */
    static String origin(String url) {
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getRawAuthority() == null || u.getRawUserInfo() != null) {
                return "";
            }
            return u.getScheme() + "://" + u.getRawAuthority();
        } catch (java.net.URISyntaxException e) {
            return "";
        }
    }

    private static String hostPort(String origin) {
        return origin.substring(origin.indexOf("://") + 3);
    }

    /** A login was tried: an Authorization header or a token in the query (the body is never parsed here). */
    static boolean carriesCredentials(HttpServletRequest req) {
        String query = req.getQueryString();
        return req.getHeader("Authorization") != null
                || query != null && (query.startsWith("token=") || query.contains("&token="));
    }

    /** At most 80 printable ASCII characters of something from outside, for a log line. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; s != null && i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s != null && s.length() > 80 ? b + "..." : b.toString();
    }

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public String id() {
        return "login";
    }

    @Override
    public Health health() {
        long now = System.nanoTime() / 1_000_000;
        return Health.of(HealthState.OPEN, String.format(Locale.ROOT,
                "%d failed logins, %d held back, %d addresses slowed now; %d requests refused before login "
                        + "(method, size, origin)", throttle.failedTotal(), throttle.heldBackTotal(),
                throttle.slowedAddresses(now), refused.sum()));
    }
}
