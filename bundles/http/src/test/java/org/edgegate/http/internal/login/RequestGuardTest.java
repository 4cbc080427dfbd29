package org.edgegate.http.internal.login;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.edgegate.http.internal.login.Fakes.Request;
import org.edgegate.http.internal.login.Fakes.Response;
import org.edgegate.http.internal.login.RequestGuard.Refusal;
import org.edgegate.http.internal.login.RequestGuard.Settings;
import org.junit.Test;

import jakarta.servlet.FilterChain;

/** What every request passes before a login is looked at: methods, body size, origin, login attempts. */
public class RequestGuardTest {
    private static final Settings DEFAULTS = new Settings(16L << 20, List.of());

    private static Refusal check(Request r) {
        return RequestGuard.check(r.http(), DEFAULTS);
    }

    @Test
    public void onlyGetHeadAndPost() {
        assertNull(check(new Request("GET", "/metrics")));
        assertNull(check(new Request("HEAD", "/metrics")));
        assertNull(check(new Request("POST", "/system/console/configMgr").header("Host", "127.0.0.1:8080")));
        for (String m : new String[] { "TRACE", "OPTIONS", "PUT", "DELETE", "PATCH", "CONNECT", "PROPFIND", "get" }) {
            Refusal r = check(new Request(m, "/edgegate/cameras/demo/snapshot.jpg").header("Authorization", "Basic x"));
            assertEquals(m, 405, r.status());
        }
    }

    @Test
    public void oversizedOrUndeclaredBodies() {
        assertEquals(413, check(new Request("POST", "/system/console/bundles").length(100L << 20)).status());
        assertEquals(413, check(new Request("POST", "/x").length((16L << 20) + 1)).status());
        assertNull(check(new Request("POST", "/x").length(16L << 20)));
        assertEquals(411, check(new Request("POST", "/x").header("Transfer-Encoding", "chunked")).status());
        assertEquals(413, RequestGuard.check(new Request("POST", "/x").length(2048).http(),
                new Settings(1024, List.of())).status());
    }

    @Test
    public void stateChangingRequestsOnlyFromTheServersOwnPages() {
        Request same = new Request("POST", "/system/console/configMgr/x").header("Host", "127.0.0.1:8080")
                .header("Origin", "http://127.0.0.1:8080");
        assertNull(check(same));
        Request other = new Request("POST", "/system/console/configMgr/x").header("Host", "127.0.0.1:8080")
                .header("Origin", "http://evil.example");
        assertEquals(403, check(other).status());
        assertEquals("another port is another origin", 403, check(new Request("POST", "/x").header("Host", "127.0.0.1:8080")
                .header("Origin", "http://127.0.0.1:9999")).status());
        assertEquals("a sandboxed page", 403, check(new Request("POST", "/x").header("Host", "h:1").header("Origin", "null")).status());
        assertNull("Referer when no Origin", check(new Request("POST", "/x").header("Host", "gw:8080")
                .header("Referer", "http://GW:8080/system/console/configMgr")));
        assertEquals(403, check(new Request("POST", "/x").header("Host", "gw:8080")
                .header("Referer", "https://evil.example/gw:8080/")).status());
        assertNull("no browser (curl, scripts): no cross-site request", check(new Request("POST", "/x").header("Host", "gw")));
        assertNull("reading is not changing", check(new Request("GET", "/x").header("Host", "gw").header("Origin", "http://evil")));
        Settings proxied = new Settings(1024, List.of("https://gateway.example.com"));
        assertNull(RequestGuard.check(new Request("POST", "/x").header("Host", "127.0.0.1:8080")
                .header("Origin", "https://gateway.example.com").http(), proxied));
        assertFalse(RequestGuard.sameOrigin(new Request("POST", "/x").header("Host", "127.0.0.1:8080")
                .header("Origin", "https://gateway.example.com.evil").http(), proxied.allowedOrigins()));
        assertEquals("user info is no origin", "", RequestGuard.origin("http://127.0.0.1:8080@evil/"));
    }

    @Test
    public void credentialsAreSeenWithoutReadingTheBody() {
        assertTrue(RequestGuard.carriesCredentials(new Request("GET", "/m").header("Authorization", "Basic x").http()));
        assertTrue(RequestGuard.carriesCredentials(new Request("GET", "/m?token=abc").http()));
        assertTrue(RequestGuard.carriesCredentials(new Request("GET", "/m?fps=2&token=abc").http()));
        assertFalse(RequestGuard.carriesCredentials(new Request("GET", "/m?notoken=abc").http()));
        assertFalse(RequestGuard.carriesCredentials(new Request("GET", "/m").http()));
    }

    @Test
    public void traceIsRefusedBeforeTheServletOrTheLoginSeesIt() throws Exception {
        RequestGuard guard = guard(new ArrayList<>());
        AtomicInteger reached = new AtomicInteger();
        Response resp = new Response();
        guard.doFilter(new Request("TRACE", "/metrics").header("Authorization", "Basic YWRtaW46c2VjcmV0").http(),
                resp.http(), (req, res) -> reached.incrementAndGet());
        assertEquals(405, resp.status);
        assertEquals("GET, HEAD, POST", resp.headers.get("Allow"));
        assertEquals(0, reached.get());
    }

    @Test
    public void failedLoginsAreLoggedWithinLimitsAndSlowed() throws Exception {
        List<String> warnings = new ArrayList<>();
        RequestGuard guard = guard(warnings);
        AtomicInteger checked = new AtomicInteger();
        FilterChain wrongPassword = (req, res) -> {
            checked.incrementAndGet();
            ((jakarta.servlet.http.HttpServletResponse) res).sendError(401);
        };
        int tooMany = 0;
        for (int i = 0; i < 200; i++) {
            Response resp = new Response();
            guard.doFilter(new Request("GET", "/metrics").header("Authorization", "Basic d3Jvbmc=").http(), resp.http(),
                    wrongPassword);
            if (resp.status == 429) {
                tooMany++;
                assertTrue(resp.headers.toString(), Integer.parseInt(resp.headers.get("Retry-After")) >= 1);
            }
        }
        assertTrue("the burst allowed, no more: " + checked.get(), checked.get() >= LoginThrottle.BURST && checked.get() < 40);
        assertTrue(tooMany > 150);
        assertEquals(warnings.toString(), 1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("failed login from 127.0.0.1 (GET /metrics)"));

        // Another address is not held up by this one; a request without credentials is never held back.
        Response elsewhere = new Response();
        guard.doFilter(new Request("GET", "/metrics").from("10.0.0.7").header("Authorization", "Basic eA==").http(),
                elsewhere.http(), (req, res) -> { });
        assertEquals(200, elsewhere.status);
        Response anonymous = new Response();
        guard.doFilter(new Request("GET", "/metrics").http(), anonymous.http(), (req, res) -> { });
        assertEquals(200, anonymous.status);
        assertTrue(guard.health().reason(), guard.health().reason().startsWith(LoginThrottle.BURST + " failed logins"));
    }

    private static RequestGuard guard(List<String> warnings) throws ReflectiveOperationException {
        RequestGuard guard = new RequestGuard();
        Fakes.inject(guard, "log", Fakes.logger(warnings));
        return guard;
    }
}
