package org.edgegate.serial.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class ChannelMappingTest {
    private static Map<String, Object> line(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    public void renameUnitScaleOffset() {
        ChannelMapping m = ChannelMapping.parse(new String[] {"T:temperature:°C, H:humidity:%",
            "MQ2:smoke:ppm:0.1", "L:light::2:-10"});
        ChannelMapping.Mapped r = m.apply(line("T", 25L, "H", 60L, "MQ2", 123L, "L", 456L));
        assertEquals(Map.of("temperature", 25L, "humidity", 60L, "smoke", 12.3, "light", 902.0), r.values());
        assertEquals(Map.of("temperature", "°C", "humidity", "%", "smoke", "ppm"), r.units());
        assertEquals(List.of("temperature", "humidity", "smoke", "light"), List.copyOf(r.values().keySet()));
    }

    @Test
    public void decimalsScaleWithoutBinaryNoise() {
        ChannelMapping m = ChannelMapping.parse(new String[] {"T:t::0.1:0.2"});
        assertEquals(-0.35, m.apply(line("T", -5.5)).values().get("t"));
    }

    @Test
    public void unmappedChannelsKeepTheirKeyAndTextPassesUnscaled() {
        ChannelMapping m = ChannelMapping.parse(new String[] {"T:temperature:°C:10"});
        ChannelMapping.Mapped r = m.apply(line("T", "ERR", "H", 60L));
        assertEquals(Map.of("temperature", "ERR", "H", 60L), r.values());
    }

    @Test
    public void dashDropsAChannel() {
        ChannelMapping m = ChannelMapping.parse(new String[] {"L:-"});
        assertEquals(Map.of("MQ2", 1L), m.apply(line("MQ2", 1L, "L", 2L)).values());
    }

    @Test
    public void noMappingAtAll() {
        assertSame(ChannelMapping.NONE, ChannelMapping.parse(null));
        assertSame(ChannelMapping.NONE, ChannelMapping.parse(new String[] {" , "}));
        assertEquals(Map.of("T", 25L), ChannelMapping.NONE.apply(line("T", 25L)).values());
    }

    @Test
    public void keysFromTheLineAreMadeSafeStateSegments() {
        assertEquals(Map.of("a_b", 1L, "c_d", 2L), ChannelMapping.NONE.apply(line("a/b", 1L, "c d", 2L)).values());
    }

    @Test
    public void wrongEntriesAreRejectedWithTheEntryNamed() {
        for (String bad : List.of("T", "T:", ":x", "T:a/b", "T:a b", "T:t:C:x", "T:t:C:1:y", "T:a:b:1:2:3", "T:a,T:b")) {
            IllegalArgumentException e = assertThrows(bad, IllegalArgumentException.class,
                    () -> ChannelMapping.parse(new String[] {bad}));
            assertTrue(e.getMessage(), e.getMessage().contains("'"));
        }
    }
}
