package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.inject.Inject;

import org.edgegate.api.health.HealthState;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.ReadingListener;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateService;
import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The modbus bundle in the assembled runtime against Debian's python3-pymodbus 3.0 (a Modbus server nobody
 * here wrote): RTU on one end of a socat pty pair with two unit ids on the same bus, and TCP on a loopback
 * port. Rates are compared with a control device, never with the clock.
 */
@ExamReactorStrategy(PerClass.class)
public class ModbusIT extends GatewayTestSupport {
    private static final String PID = "org.edgegate.modbus.device";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    private StateService state;

    private final List<Configuration> configs = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @After
    public void cleanUp() throws Exception {
        for (Configuration c : configs) {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // deleted by the test
            }
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        await("every modbus bus thread to end", WAIT, () -> busThreads() == 0);
    }

    private static long busThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive()
                && t.getName().startsWith("edgegate-modbus-") && !t.getName().startsWith("edgegate-modbus-listener"))
                .count();
    }

    private SocatPty pty() throws Exception {
        SocatPty p = new SocatPty(home().resolve("pty")).start();
        closing.add(p);
        return p;
    }

    private ModbusServer rtuServer(SocatPty pty, int... units) throws Exception {
        ModbusServer s = ModbusServer.rtu(pty.boardPath(), units);
        closing.add(s);
        return s;
    }

    private static String rtu(SocatPty pty) {
        return pty.device() + "?baud=115200";
    }

    private Configuration device(String id, String port, int unit, String registers, Object... more) throws Exception {
        Map<String, Object> props = new HashMap<>(Map.of("id", id, "port", port, "unit", unit, "registers", registers,
                "poll", 100L, "timeout", 200L));
        for (int i = 0; i < more.length; i += 2) {
            props.put((String) more[i], more[i + 1]);
        }
        Configuration c = createFactoryConfiguration(PID, id, props);
        configs.add(c);
        return c;
    }

    private Sensor sensor(String id) {
        return awaitService(Sensor.class, "(id=" + id + ")", WAIT);
    }

    private boolean present(String id) {
        try {
            return !context.getServiceReferences(Sensor.class, "(id=" + id + ")").isEmpty();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private Optional<Object> value(String key) {
        return state.get(key).map(StateEntry::value);
    }

    private void awaitValue(String key, Object expected) {
        await(key + " = " + expected + " (is " + value(key).orElse(null) + ")", WAIT,
                () -> value(key).map(expected::equals).orElse(false));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> status(String id) throws Exception {
        String json = gogo("gw:modbus --json");
        List<Map<String, Object>> list = new com.google.gson.Gson().fromJson(json.trim(), List.class);
        return list.stream().filter(m -> id.equals(m.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + json));
    }

    private double count(String id, String field) throws Exception {
        return ((Number) status(id).get(field)).doubleValue();
    }

    @Test
    public void metatypeDescribesEveryKey() {
        ObjectClassDefinition ocd = awaitService(MetaTypeService.class)
                .getMetaTypeInformation(bundleNamed("org.edgegate.modbus")).getObjectClassDefinition(PID, null);
        List<String> keys = new ArrayList<>();
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            keys.add(ad.getID());
            assertFalse(ad.getID(), ad.getName().isBlank() || ad.getDescription().isBlank());
        }
        assertEquals(List.of("id", "port", "unit", "registers", "wordOrder", "poll", "timeout", "retries",
                "reconnectMin", "reconnectMax"), keys);
    }

    /** Every type in both word orders, scale and offset, negatives: two units on one RTU bus, one bus owner. */
    @Test
    public void rtuReadsEveryTypeOfTwoUnitsOnOneBus() throws Exception {
        SocatPty pty = pty();
        ModbusServer server = rtuServer(pty, 1, 2);
        server.set(1, "ir", 0, 0xFFFE, 0xFFFE, -123 & 0xFFFF, 123);
        server.set(1, "hr", 10, 0xFFFE, 0x7960, 0xFFFE, 0x7960, 0x3FC0, 0, 0xFFFF, 0xFFFE, 0xD5FA, 0x0E00, 0xC002, 0, 0, 0);
        server.set(1, "co", 0, 1);
        server.set(1, "di", 3, 1);
        server.set(2, "hr", 10, 0x7960, 0xFFFE, 0, 0x3FC0, 0x0E00, 0xD5FA, 0xFFFE, 0xFFFF);
        List<Reading> readings = new CopyOnWriteArrayList<>();
        ServiceRegistration<ReadingListener> listener = context.registerService(ReadingListener.class, readings::add,
                new Hashtable<>(Map.of(ReadingListener.SENSOR_ID, "mb1")));
        try {
            device("mb1", rtu(pty), 1, "i16:input:0:int16, u16:input:1:uint16, t:input:2:int16*0.1:°C,"
                    + " off:input:3:uint16*0.5-40:°C, i32:holding:10:int32, u32:holding:12:uint32,"
                    + " f32:holding:14:float32, i64:holding:16:int64, f64:holding:20:float64, relay:coil:0:bool,"
                    + " door:discrete:3:bool");
            device("mb2", rtu(pty), 2, "i32:holding:10:int32, f32:holding:12:float32, i64:holding:14:int64",
                    "wordOrder", "little");
            awaitValue("sensor/mb1/i16", -2L);
            awaitValue("sensor/mb1/u16", 65534L);
            awaitValue("sensor/mb1/t", -12.3);
            awaitValue("sensor/mb1/off", 21.5);
            awaitValue("sensor/mb1/i32", -100000L);
            awaitValue("sensor/mb1/u32", 4294867296L);
            awaitValue("sensor/mb1/f32", 1.5);
            awaitValue("sensor/mb1/i64", -5_000_000_000L);
            awaitValue("sensor/mb1/f64", -2.25);
            awaitValue("sensor/mb1/relay", 1L);
            awaitValue("sensor/mb1/door", 1L);
            awaitValue("sensor/mb2/i32", -100000L);
            awaitValue("sensor/mb2/f32", 1.5);
            awaitValue("sensor/mb2/i64", -5_000_000_000L);

            Reading r = awaitValue("a reading delivered to a ReadingListener", WAIT,
                    () -> readings.isEmpty() ? null : readings.get(readings.size() - 1));
            assertEquals("mb1", r.sensorId());
            assertEquals("°C", r.units().get("t"));
            assertEquals(-12.3, r.values().get("t"));
            assertTrue("mb2 is not for this listener", readings.stream().allMatch(x -> x.sensorId().equals("mb1")));

            // a changed value shows on the next poll
            server.set(1, "ir", 2, 250);
            awaitValue("sensor/mb1/t", 25L);

            // one owner for the bus: one thread and its receiver, one descriptor on the port
            assertEquals(2, busThreads());
            assertEquals(1, pty.openDescriptors());
            String list = gogo("gw:modbus");
            assertEquals(list, 1, list.lines().filter(l -> l.startsWith("bus ")).count());
            assertTrue(list, list.contains("mb1") && list.contains("mb2"));
            assertEquals(HealthState.OPEN, sensor("mb1").health().state());
            assertTrue(gogo("gw:status"), gogo("gw:status").contains("mb2"));
            // 11 registers in 4 requests (coil 0, discrete 3, input 0-3, holding 10-23): one answer each in raw
            Reading last = sensor("mb1").lastReading().orElseThrow();
            assertEquals(last.raw(), 4, last.raw().split(" ").length);
        } finally {
            listener.unregister();
        }
    }

    @Test
    public void writesAreReadBack() throws Exception {
        SocatPty pty = pty();
        ModbusServer server = rtuServer(pty, 1);
        device("mbw", rtu(pty), 1, "sp:holding:30:int16*0.1:°C:rw, f:holding:32:float32:rw, relay:coil:5:bool:rw,"
                + " ro:input:40:uint16, big:holding:34:int64:rw", "wordOrder", "little");
        awaitValue("sensor/mbw/sp", 0L); // the state keeps integral numbers as longs

        String out = gogo("gw:modbus write mbw sp 21.5");
        assertTrue(out, out.contains("read back: 21.5"));
        assertEquals("215", server.get(1, "hr", 30, 1));
        awaitValue("sensor/mbw/sp", 21.5);

        gogo("gw:modbus write mbw sp -3.2");
        assertEquals(Integer.toString(-32 & 0xFFFF), server.get(1, "hr", 30, 1));
        gogo("gw:modbus write mbw f -1.25");
        assertEquals("0 49056", server.get(1, "hr", 32, 2)); // little word order: 0xBFA0 last
        gogo("gw:modbus write mbw big -5000000000");
        assertEquals("3584 54778 65534 65535", server.get(1, "hr", 34, 4));
        awaitValue("sensor/mbw/big", -5_000_000_000L);

        // a state put on the documented key (what MQTT commands do) writes the coil
        state.put("modbus/mbw/relay", true);
        await("coil 5 on", WAIT, () -> {
            try {
                return server.get(1, "co", 5, 1).equals("1");
            } catch (Exception e) {
                return false;
            }
        });
        awaitValue("sensor/mbw/relay", 1L);

        // the Sensor service tells the MQTT bridge's Home Assistant discovery what is writable, and how
        org.osgi.framework.ServiceReference<Sensor> ref = context.getServiceReferences(Sensor.class, "(id=mbw)")
                .iterator().next();
        assertEquals("modbus/mbw/sp", ref.getProperty("edgegate.sensor.command.sp"));
        assertEquals("number", ref.getProperty("homeassistant.component.sp"));
        assertEquals(-3276.8, (Double) ref.getProperty("homeassistant.min.sp"), 1e-9);
        assertEquals("switch", ref.getProperty("homeassistant.component.relay"));
        assertEquals(null, ref.getProperty("edgegate.sensor.command.ro"));

        // refused before anything reaches the bus
        assertThrows(IllegalArgumentException.class, () -> state.put("modbus/mbw/ro", 3));
        assertThrows(IllegalArgumentException.class, () -> state.put("modbus/mbw/sp", 99999));
        assertThrows(IllegalArgumentException.class, () -> state.put("modbus/nobody/sp", 1));
        assertThrows(Exception.class, () -> gogo("gw:modbus write mbw relay maybe"));
        assertEquals(5.0, count("mbw", "writes"), 0);
    }

    /**
     * A unit that stops answering costs the bus only its own timeouts: the other unit on the same bus keeps
     * its poll rate, measured against a control device on a bus of its own.
     */
    @Test
    public void aSilentUnitDoesNotSlowTheOther() throws Exception {
        SocatPty pty = pty();
        ModbusServer server = rtuServer(pty, 1, 2);
        int port = freePort();
        ModbusServer control = ModbusServer.tcp(port, 1);
        closing.add(control);
        device("live", rtu(pty), 1, "v:holding:0:uint16", "timeout", 50L, "retries", 0);
        device("mute", rtu(pty), 2, "v:holding:0:uint16", "timeout", 50L, "retries", 0);
        device("control", "tcp://127.0.0.1:" + port, 1, "v:holding:0:uint16");
        Sensor live = sensor("live");
        Sensor mute = sensor("mute");
        Sensor ctl = sensor("control");
        await("all three answering", WAIT, () -> live.statistics().lines() > 5 && mute.statistics().lines() > 5
                && ctl.statistics().lines() > 5);

        // the live unit's own pace against the control's before the mute: an RTU pty through the Python
        // server and a TCP device run at different speeds on a loaded machine, the ratio of the two does not
        long lb = live.statistics().lines();
        long cb = ctl.statistics().lines();
        await("30 polls of the control before the mute", WAIT, () -> ctl.statistics().lines() >= cb + 30);
        double before = (double) (live.statistics().lines() - lb) / (ctl.statistics().lines() - cb);

        server.command("mute 2");
        await("mute RECONNECTING", WAIT, () -> mute.health().state() == HealthState.RECONNECTING);
        assertTrue(mute.health().reason(), mute.health().reason().contains("no answer from unit 2"));
        long l0 = live.statistics().lines();
        long c0 = ctl.statistics().lines();
        long m0 = mute.statistics().lines();
        await("30 more polls of the control", WAIT, () -> ctl.statistics().lines() >= c0 + 30);
        long liveDone = live.statistics().lines() - l0;
        long controlDone = ctl.statistics().lines() - c0;
        double after = (double) liveDone / controlDone;
        System.out.printf("silent unit: live %d polls while the control did %d (ratio %.2f, before the mute %.2f)%n",
                liveDone, controlDone, after, before);
        assertTrue("live " + liveDone + " vs control " + controlDone + ": ratio " + after + ", before the mute "
                + before, after >= before * 0.75);
        assertEquals(m0, mute.statistics().lines());
        assertTrue(count("mute", "timeouts") > 0);
        assertEquals(HealthState.OPEN, live.health().state());

        server.command("unmute 2");
        await("mute answering again", WAIT, () -> mute.health().state() == HealthState.OPEN);
    }

    @Test
    public void illegalAddressAndGarbageAreCountedAndSurvived() throws Exception {
        SocatPty pty = pty();
        ModbusServer server = rtuServer(pty, 1);
        server.set(1, "hr", 0, 7);
        device("faulty", rtu(pty), 1, "ok:holding:0:uint16, bad:holding:300:uint16", "timeout", 100L);
        awaitValue("sensor/faulty/ok", 7L);
        Sensor s = sensor("faulty");
        await("an exception counted", WAIT, () -> {
            try {
                return count("faulty", "exceptions") > 0;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(HealthState.FAILED, s.health().state());
        assertTrue(s.health().reason(), s.health().reason().contains("illegal data address"));
        assertTrue(gogo("gw:modbus"), gogo("gw:modbus").contains("illegal data address"));
        assertTrue(s.statistics().parseErrors() > 0);

        // noise on the line: bytes nobody asked for, some looking like a frame start
        try (OutputStream noise = new FileOutputStream(pty.boardPath().toFile())) {
            for (int i = 0; i < 20; i++) {
                noise.write(new byte[] {1, 3, (byte) 0xFF, 0x55, 0x10, 0, (byte) 0xAA});
                noise.flush();
                long polls = count("faulty", "polls") > 0 ? (long) count("faulty", "polls") : 0;
                await("a poll after noise " + i, WAIT, () -> {
                    try {
                        return count("faulty", "polls") > polls;
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
        }
        await("frame errors counted", WAIT, () -> {
            try {
                return count("faulty", "frameErrors") > 0;
            } catch (Exception e) {
                return false;
            }
        });
        server.set(1, "hr", 0, 8);
        awaitValue("sensor/faulty/ok", 8L);
    }

    @Test
    public void theBusComesBackWhenThePtyReturns() throws Exception {
        SocatPty pty = pty();
        ModbusServer server = rtuServer(pty, 1);
        server.set(1, "ir", 0, 11);
        device("replug", rtu(pty), 1, "v:input:0:uint16");
        awaitValue("sensor/replug/v", 11L);
        Sensor s = sensor("replug");
        server.close();
        pty.kill();
        await("RECONNECTING after the pty went", WAIT, () -> s.health().state() == HealthState.RECONNECTING);
        pty.start();
        ModbusServer again = rtuServer(pty, 1);
        again.set(1, "ir", 0, 12);
        awaitValue("sensor/replug/v", 12L);
        assertEquals(HealthState.OPEN, s.health().state());
        assertTrue(s.statistics().reconnects() >= 1);
    }

    @Test
    public void modbusTcp() throws Exception {
        int port = freePort();
        ModbusServer server = ModbusServer.tcp(port, 1, 3);
        closing.add(server);
        server.set(3, "ir", 5, 0x4049, 0x0FDB);
        device("tcp3", "tcp://127.0.0.1:" + port, 3, "pi:input:5:float32, sp:holding:0:uint32:rw");
        await("pi", WAIT, () -> value("sensor/tcp3/pi").map(v -> Math.abs((Double) v - 3.1415927) < 1e-6).orElse(false));
        assertTrue(gogo("gw:modbus write tcp3 sp 70000").contains("read back: 70000"));
        assertEquals("1 4464", server.get(3, "hr", 0, 2));
        assertTrue(gogo("gw:modbus"), gogo("gw:modbus").contains("Modbus TCP 127.0.0.1:" + port));
    }

    /** Devices come and go on a bus that stays open for the one that stays; nothing is left behind. */
    @Test
    public void hundredCreateDeleteCyclesLeaveNothing() throws Exception {
        SocatPty pty = pty();
        ModbusServer server = rtuServer(pty, 1, 2);
        server.set(1, "hr", 0, 5);
        device("steady", rtu(pty), 1, "v:holding:0:uint16");
        awaitValue("sensor/steady/v", 5L);
        Sensor steady = sensor("steady");
        for (int i = 0; i < 100; i++) {
            Configuration c = createFactoryConfiguration(PID, "churn", Map.of("id", "churn", "port", rtu(pty),
                    "unit", 2, "registers", "v:holding:0:uint16", "poll", 50L));
            Sensor s = sensor("churn");
            int cycle = i;
            await("churn answering in cycle " + cycle, WAIT, () -> s.statistics().lines() > 0);
            c.delete();
            await("churn gone in cycle " + cycle, WAIT, () -> !present("churn"));
        }
        assertEquals("the port was never reopened for steady", 0, steady.statistics().reconnects());
        assertEquals(1, pty.openDescriptors());
        assertEquals(2, busThreads());
        assertTrue(Arrays.asList(gogo("gw:modbus").split("\n")).stream().noneMatch(l -> l.contains("churn")));
        configs.get(0).delete();
        await("no bus thread", WAIT, () -> busThreads() == 0);
        assertEquals(0, pty.openDescriptors());
    }
}
