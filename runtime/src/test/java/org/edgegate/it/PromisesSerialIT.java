package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.state.StateService;
import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;

/**
 * docs/serial.md: "Two configurations with the same id would write the same keys: the second one is FAILED
 * ("already used") until its id changes." The first keeps reading; the second runs once renamed.
 */
@ExamReactorStrategy(PerClass.class)
public class PromisesSerialIT extends GatewayTestSupport {
    private static final String SENSOR = "org.edgegate.serial.sensor";
    private static final Duration T = Duration.ofSeconds(60);

    private final List<Configuration> configurations = new ArrayList<>();

    @After
    public void tearDown() throws Exception {
        for (Configuration c : configurations) {
            c.delete();
        }
    }

    private Configuration sensor(String name, String id, String port) throws Exception {
        Configuration c = createFactoryConfiguration(SENSOR, name, Map.of("id", id, "port", port, "parser", "dash",
                "channels", "T:temperature:°C, H:humidity:%"));
        configurations.add(c);
        return c;
    }

    /** The health of every sensor service with this id and configuration name (service.pid ends with it). */
    private Health health(String id, String name) {
        try {
            for (ServiceReference<Sensor> r : context.getServiceReferences(Sensor.class, "(id=" + id + ")")) {
                if (String.valueOf(r.getProperty("service.pid")).endsWith(name)) {
                    Sensor s = context.getService(r);
                    try {
                        return s == null ? null : s.health();
                    } finally {
                        context.ungetService(r);
                    }
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        return null;
    }

    @Test
    public void aDuplicateIdIsFailedAlreadyUsedUntilRenamed() throws Exception {
        StateService state = awaitService(StateService.class);
        sensor("first", "dup", "sim:th?rate=20");
        await("the first reading", T, () -> health("dup", "first") != null
                && health("dup", "first").state() == HealthState.OPEN && state.get("sensor/dup/temperature").isPresent());

        Configuration second = sensor("second", "dup", "sim:gas?rate=20");
        await("the second FAILED (now " + health("dup", "second") + ")", T,
                () -> health("dup", "second") != null && health("dup", "second").state() == HealthState.FAILED);
        Health failed = health("dup", "second");
        assertTrue(failed.reason(), failed.reason().contains("already used"));
        String status = gogo("gw:status");
        assertTrue(status, status.contains("already used"));

        // the first one still owns the keys and keeps reading
        assertEquals(HealthState.OPEN, health("dup", "first").state());
        long version = state.get("sensor/dup/temperature").orElseThrow().version();
        await("the first still writing", T, () -> state.get("sensor/dup/temperature").orElseThrow().version() > version);
        assertTrue("nothing of the gas board under dup", state.get("sensor/dup/MQ2").isEmpty());

        // given its own id, the second runs
        updateConfiguration(second, Map.of("id", "dup2", "port", "sim:gas?rate=20", "parser", "dash"));
        await("the renamed one OPEN and reading", T, () -> health("dup2", "second") != null
                && health("dup2", "second").state() == HealthState.OPEN && state.get("sensor/dup2/MQ2").isPresent());
    }
}
