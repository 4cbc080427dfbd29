package org.edgegate.http.internal.login;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.edgegate.http.internal.login.Fakes.Request;
import org.edgegate.http.internal.login.Fakes.Response;
import org.junit.Before;
import org.junit.Test;
import org.osgi.service.servlet.context.ServletContextHelper;

/** The one login every EdgeGate servlet selects: the console's user and password, or the part's own token. */
public class LoginContextTest {
    private final Map<String, Map<String, Object>> configurations = new HashMap<>();
    private LoginContext login;

    @Before
    public void setUp() throws Exception {
        configurations.put(ConsoleLogin.PID, new HashMap<>(Map.of("username", "ops", "password", "s3cret")));
        configurations.put("org.edgegate.http", new HashMap<>(Map.of("token", "cam-token")));
        configurations.put("org.edgegate.metrics", new HashMap<>(Map.of(".bearer.token", "metrics-token")));
        login = new LoginContext();
        Fakes.inject(login, "configurationAdmin", Fakes.configurations(configurations));
        Fakes.inject(login, "log", Fakes.logger(new ArrayList<>()));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private boolean admits(Request r) throws Exception {
        return login.handleSecurity(r.http(), new Response().http());
    }

    @Test
    public void theConsolesLoginEverywhere() throws Exception {
        Request ok = new Request("GET", "/metrics").header("Authorization", basic("ops", "s3cret"));
        assertTrue(admits(ok));
        assertEquals("ops", ok.attributes.get(ServletContextHelper.REMOTE_USER));
        assertTrue(admits(new Request("GET", "/edgegate/cameras/demo/snapshot.jpg").header("Authorization", basic("ops", "s3cret"))));
        assertFalse(admits(new Request("GET", "/metrics").header("Authorization", basic("ops", "wrong"))));
        assertFalse(admits(new Request("GET", "/metrics").header("Authorization", basic("admin", "s3cret"))));
        assertFalse(admits(new Request("GET", "/metrics")));
    }

    @Test
    public void aChangedPasswordAppliesAtOnceHashedToo() throws Exception {
        configurations.get(ConsoleLogin.PID).put("password",
                "{sha-256}XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=");     // "password"
        assertTrue(admits(new Request("GET", "/metrics").header("Authorization", basic("ops", "password"))));
        assertFalse(admits(new Request("GET", "/metrics").header("Authorization", basic("ops", "s3cret"))));
    }

    @Test
    public void eachTokenOpensOnlyItsOwnPart() throws Exception {
        assertTrue(admits(new Request("GET", "/edgegate/cameras/demo/stream.mjpg?token=cam-token")));
        assertTrue(admits(new Request("GET", "/edgegate/cameras/demo/stream.mjpg").header("Authorization", "Bearer cam-token")));
        assertTrue(admits(new Request("GET", "/metrics").header("Authorization", "Bearer metrics-token")));
        assertFalse(admits(new Request("GET", "/metrics").header("Authorization", "Bearer cam-token")));
        assertFalse(admits(new Request("GET", "/edgegate/cameras/demo/snapshot.jpg").header("Authorization", "Bearer metrics-token")));
        assertFalse("the metrics token only as a header", admits(new Request("GET", "/metrics?token=metrics-token")));
        assertFalse(admits(new Request("GET", "/edgegate/cameras/demo/snapshot.jpg?token=cam-tokenx")));
        configurations.get("org.edgegate.http").put("token", "");
        assertFalse("an empty token lets nobody in", admits(new Request("GET", "/edgegate/cameras/demo/snapshot.jpg?token=")));
    }

    @Test
    public void refusedWithTheConsolesRealm() throws Exception {
        configurations.get(ConsoleLogin.PID).put("realm", "My \"Gateway\"");
        Response resp = new Response();
        assertFalse(login.handleSecurity(new Request("GET", "/metrics").http(), resp.http()));
        assertEquals(401, resp.status);
        assertEquals("Basic realm=\"My Gateway\", charset=\"UTF-8\"", resp.headers.get("WWW-Authenticate"));
    }

    @Test
    public void withoutAPasswordNobodyLogsIn() throws Exception {
        configurations.remove(ConsoleLogin.PID);
        assertFalse("not the console's built-in default",
                admits(new Request("GET", "/metrics").header("Authorization", basic("admin", "admin"))));
        configurations.put(ConsoleLogin.PID, new HashMap<>(Map.of("username", "admin")));
        assertFalse(admits(new Request("GET", "/metrics").header("Authorization", basic("admin", "admin"))));
        assertFalse(admits(new Request("GET", "/metrics").header("Authorization", basic("admin", ""))));
        assertFalse(admits(new Request("GET", "/metrics").header("Authorization", basic("admin", ConsoleLogin.NO_PASSWORD))));
    }
}
