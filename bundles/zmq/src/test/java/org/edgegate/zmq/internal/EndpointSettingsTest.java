package org.edgegate.zmq.internal;

import org.edgegate.config.GatewayPaths;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.zeromq.SocketType;

public class EndpointSettingsTest {

    private static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String error(Map<String, Object> p) {
        try {
            EndpointSettings.parse(p);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        fail("accepted " + p);
        return null;
    }

    @Test
    public void nativeDefaultsBindPubOnLoopback5556AndCarryEverything() {
        EndpointSettings c = EndpointSettings.parse(props("id", "main"));
        assertEquals(EndpointSettings.Mode.NATIVE, c.mode());
        assertEquals(SocketType.PUB, c.socket());
        assertEquals("tcp://127.0.0.1:5556", c.address());
        assertTrue(c.bind());
        assertTrue(c.carriesReadings());
        assertTrue(c.carriesFrames());
        assertEquals(List.of(""), c.statePrefixes());
        assertEquals(20, c.hwm());
        assertNull(c.curve());
    }

    @Test
    public void batchWindowIsOffUnlessSetAndAppliesToStreams() {
        assertEquals(0, EndpointSettings.parse(props("id", "n")).batchWindowMillis());
        assertEquals(50, EndpointSettings.parse(props("id", "n", "batch.window", 50)).batchWindowMillis());
        assertEquals(20, EndpointSettings.parse(props("id", "s", "mode", "seed", "cameras", "0", "address", "tcp://h:1",
                "batch.window", "20")).batchWindowMillis());
    }

    @Test
    public void stateDefaultsBindRepOn5557() {
        EndpointSettings c = EndpointSettings.parse(props("id", "state", "mode", "state"));
        assertEquals(SocketType.REP, c.socket());
        assertEquals("tcp://127.0.0.1:5557", c.address());
        assertTrue(c.bind());
        assertFalse(c.carriesFrames());
        assertNull(c.statePrefixes());
    }

    @Test
    public void seedAndReqConnectByDefaultImagezmqPubBinds() {
        EndpointSettings seed = EndpointSettings.parse(props("id", "s", "mode", "seed", "cameras", "0",
                "address", "tcp://10.0.0.2:5556"));
        assertEquals(SocketType.PAIR, seed.socket());
        assertFalse(seed.bind());
        EndpointSettings req = EndpointSettings.parse(props("id", "i", "mode", "imagezmq", "address", "tcp://hub:5555"));
        assertEquals(SocketType.REQ, req.socket());
        assertFalse(req.bind());
        EndpointSettings pub = EndpointSettings.parse(props("id", "i", "mode", "imagezmq", "socket", "PUB",
                "address", "tcp://*:5555"));
        assertTrue(pub.bind());
        EndpointSettings forced = EndpointSettings.parse(props("id", "i", "mode", "imagezmq", "address", "tcp://*:5555",
                "bind", "true"));
        assertTrue(forced.bind());
    }

    @Test
    public void topicsDecideWhichListenersAreNeeded() {
        EndpointSettings c = EndpointSettings.parse(props("id", "n", "topics", new String[] { "sensor/th", "state/camera/" }));
        assertTrue(c.carriesReadings());
        assertFalse(c.carriesFrames());
        assertEquals(List.of("camera/"), c.statePrefixes());
        assertTrue(c.carriesTopic("sensor/th"));
        assertFalse(c.carriesTopic("sensor/lm"));
        assertTrue(c.carriesTopic("state/camera/0/enabled"));
        assertFalse(c.carriesTopic("state/sensor/th/T"));

        EndpointSettings fromCfgFile = EndpointSettings.parse(props("id", "n", "topics", "camera/, state/"));
        assertEquals(List.of("camera/", "state/"), fromCfgFile.topics());
        assertFalse(fromCfgFile.carriesReadings());
        assertEquals(List.of(""), fromCfgFile.statePrefixes());
        EndpointSettings broad = EndpointSettings.parse(props("id", "n", "topics", "s"));
        assertTrue(broad.carriesReadings());
        assertEquals(List.of(""), broad.statePrefixes());
    }

    @Test
    public void camerasFilter() {
        EndpointSettings c = EndpointSettings.parse(props("id", "n", "cameras", new String[] { "0", "2" }));
        assertTrue(c.carriesCamera("2"));
        assertFalse(c.carriesCamera("1"));
        assertTrue(EndpointSettings.parse(props("id", "n")).carriesCamera("any"));
    }

    @Test
    public void curveKeys() {
        Path etc = Paths.get("/opt/gw/etc");
        EndpointSettings c = EndpointSettings.parse(props("id", "n", "curve", true, "curve.clients", "zmq/clients"), etc);
        assertEquals(etc.resolve("zmq/edgegate.key_secret"), c.curve().keypair());
        assertEquals(etc.resolve("zmq/clients"), c.curve().clients());
        assertNull(EndpointSettings.parse(props("id", "n", "curve", true), etc).curve().clients());
        String z85 = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
        assertEquals(z85, EndpointSettings.parse(props("id", "i", "mode", "imagezmq", "address", "tcp://h:1",
                "curve", "true", "curve.serverkey", z85), etc).curve().serverKey());
        assertEquals("/opt/gw/etc/zmq/hub.key", EndpointSettings.parse(props("id", "i", "mode", "imagezmq",
                "address", "tcp://h:1", "curve", "true", "curve.serverkey", "zmq/hub.key"), etc).curve().serverKey());
        assertEquals(Paths.get("etc"), GatewayPaths.etc(k -> null));
        assertEquals(Paths.get("/gw/etc"), GatewayPaths.etc(k -> k.equals("edgegate.home") ? "/gw" : null));
        assertEquals(Paths.get("/conf"), GatewayPaths.etc(k -> k.equals("edgegate.etc") ? "/conf" : "/gw"));
        assertTrue(error(props("id", "s", "mode", "seed", "cameras", "0", "address", "tcp://h:1", "curve", "true"))
                .contains("curve.serverkey"));
    }

    @Test
    public void wrongConfigurationsSayWhichKeyAndWhy() {
        assertTrue(error(props()).contains("id is missing"));
        assertTrue(error(props("id", "x", "mode", "mqtt")).contains("mode must be"));
        assertTrue(error(props("id", "x", "socket", "req")).contains("socket 'req' is not possible in native mode"));
        assertTrue(error(props("id", "x", "address", "localhost:5556")).contains("not a ZeroMQ address"));
        assertTrue(error(props("id", "x", "mode", "seed", "address", "tcp://h:1")).contains("exactly one camera"));
        assertTrue(error(props("id", "x", "mode", "seed", "cameras", "0")).contains("address is missing"));
        assertTrue(error(props("id", "x", "hwm", "0")).contains("hwm must be a whole number of at least 1"));
        assertTrue(error(props("id", "x", "hwm", "many")).contains("hwm must be a number"));
        assertTrue(error(props("id", "x", "max.fps", -1.0)).contains("max.fps"));
        assertTrue(error(props("id", "x", "format", "png")).contains("format must be jpeg or bgr"));
        assertTrue(error(props("id", "x", "batch.window", -1)).contains("batch.window must be 0 (send at once) to 1000"));
        assertTrue(error(props("id", "x", "batch.window", 1001)).contains("batch.window must be"));
        assertTrue(error(props("id", "x", "mode", "state", "batch.window", 10)).contains("batch.window applies to streams"));
        assertTrue(error(props("id", "x", "mode", "imagezmq", "address", "tcp://h:1", "batch.window", 10))
                .contains("a req socket sends one message at a time"));
        assertTrue(error(props("id", "x", "bind", "yes")).contains("bind must be true or false"));
        assertTrue(error(props("id", "x", "mode", "imagezmq", "address", "tcp://h:1", "topics", "camera/"))
                .contains("topics apply to native endpoints only"));
        assertTrue(error(props("id", "x", "mode", "seed", "cameras", "0", "address", "tcp://h:1", "format", "bgr"))
                .contains("seed mode"));
    }
}
