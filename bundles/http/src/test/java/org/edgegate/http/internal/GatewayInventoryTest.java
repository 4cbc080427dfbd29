package org.edgegate.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.inventory.Inventory;
import org.junit.Test;

public class GatewayInventoryTest {
    private static Monitored part(String id) {
        return new Monitored() {
            @Override
            public String kind() {
                return "test";
            }

            @Override
            public String id() {
                return id;
            }

            @Override
            public Health health() {
                return Health.of(HealthState.OPEN, "ok");
            }
        };
    }

    @Test
    public void unboundItReadsAsAnEmptyGatewayNeverNull() {
        Inventory empty = new GatewayInventory();
        assertTrue(empty.monitored().isEmpty());
        assertTrue(empty.sensors().isEmpty());
        assertTrue(empty.cameras().isEmpty());
        assertTrue(empty.endpoints().isEmpty());
        assertNull("no state bundle: null, as the servlets expect", empty.state());
    }

    @Test
    public void itGivesTheBoundServicesInTheirOrder() {
        List<Monitored> parts = List.of(part("b"), part("a"));
        Inventory inventory = new GatewayInventory(parts, List.of(), List.of(), List.of(), null);
        assertSame(parts, inventory.monitored());
        assertEquals("b", inventory.monitored().get(0).id());
    }
}
