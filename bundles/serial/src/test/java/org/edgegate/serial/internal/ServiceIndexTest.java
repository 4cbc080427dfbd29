package org.edgegate.serial.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.util.List;
import java.util.Map;

import org.junit.Test;

public class ServiceIndexTest {
    private final ServiceIndex<Object> index = new ServiceIndex<>("scheme");

    @Test
    public void keepsTheLatestServiceUnderItsKey() {
        Object first = new Object();
        Object second = new Object();
        assertEquals("sim", index.add(first, Map.of("scheme", "sim")));
        assertEquals("sim", index.add(second, Map.of("scheme", "sim")));
        assertSame(second, index.get("sim"));
        assertNull("the replaced one leaving removes nothing", index.remove(first, Map.of("scheme", "sim")));
        assertSame(second, index.get("sim"));
        assertEquals("sim", index.remove(second, Map.of("scheme", "sim")));
        assertNull(index.get("sim"));
    }

    @Test
    public void leavesOutServicesWithoutTheProperty() {
        assertNull(index.add(new Object(), Map.of("name", "x")));
        assertNull(index.remove(new Object(), Map.of()));
        assertEquals(0, index.sorted().size());
    }

    @Test
    public void listsInKeyOrder() {
        index.add("s", Map.of("scheme", "socket"));
        index.add("d", Map.of("scheme", "serial"));
        index.add("m", Map.of("scheme", "sim"));
        assertEquals(List.of("serial", "sim", "socket"), List.copyOf(index.sorted().keySet()));
    }
}
