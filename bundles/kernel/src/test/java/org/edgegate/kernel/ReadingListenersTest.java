package org.edgegate.kernel;

import static org.edgegate.kernel.ConnectorTest.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.edgegate.api.delivery.Delivery;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.ReadingListener;
import org.junit.After;
import org.junit.Test;

public class ReadingListenersTest {
    private final ReadingListeners listeners = new ReadingListeners("test-readings", 16, ConnectorLog.NONE);

    @After
    public void close() {
        listeners.close();
    }

    private static Reading reading(String sensor, long seq) {
        return new Reading(sensor, seq, Instant.now(), Map.of("t", seq), Map.of(), "t-" + seq);
    }

    @Test
    public void aDirectListenerIsCalledOnThePublishersThreadForItsSensorsOnly() {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        listeners.add(r -> {
            seen.add(r.sensorId() + r.sequence());
            threads.add(Thread.currentThread());
        }, Map.of(Delivery.PROPERTY, Delivery.DIRECT, ReadingListener.SENSOR_ID, new String[] {"th"}));
        listeners.publish(reading("gas", 1));
        listeners.publish(reading("th", 2));
        assertEquals(List.of("th2"), seen); // delivered before publish returned
        assertSame(Thread.currentThread(), threads.get(0));
    }

    @Test
    public void aListenerWithoutThePropertyIsCalledOnAPooledThread() {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ReadingListener l = r -> threads.add(Thread.currentThread());
        listeners.add(l, Map.of());
        listeners.publish(reading("th", 1));
        await(() -> threads.size() == 1, "the reading delivered");
        assertNotSame(Thread.currentThread(), threads.get(0));
        listeners.remove(l);
        listeners.publish(reading("th", 2));
        assertEquals(0, listeners.subscriptions().size());
    }
}
