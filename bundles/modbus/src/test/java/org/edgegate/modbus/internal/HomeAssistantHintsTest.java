package org.edgegate.modbus.internal;

import static org.junit.Assert.assertEquals;

import java.util.Map;

import org.junit.Test;

public class HomeAssistantHintsTest {

    @Test
    public void rangeAndStepFollowTypeAndScale() {
        Map<String, Object> p = HomeAssistantHints.of("room", Register.parse("sp:holding:10:int16*0.1+5:°C:rw"));
        assertEquals("modbus/room/sp", p.get("edgegate.sensor.command.sp"));
        assertEquals("number", p.get("homeassistant.component.sp"));
        assertEquals(-3271.8, (Double) p.get("homeassistant.min.sp"), 1e-9);
        assertEquals(3281.7, (Double) p.get("homeassistant.max.sp"), 1e-9);
        assertEquals(0.1, (Double) p.get("homeassistant.step.sp"), 0);
        Map<String, Object> negative = HomeAssistantHints.of("m", Register.parse("n:holding:0:uint16*-1:rw"));
        assertEquals(-65535.0, (Double) negative.get("homeassistant.min.n"), 0);
        assertEquals(0.0, (Double) negative.get("homeassistant.max.n"), 0);
        assertEquals("switch", HomeAssistantHints.of("room", Register.parse("relay:coil:0:bool:rw"))
                .get("homeassistant.component.relay"));
    }
}
