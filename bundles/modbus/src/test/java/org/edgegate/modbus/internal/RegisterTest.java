package org.edgegate.modbus.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.util.List;

import org.edgegate.modbus.internal.Register.Type;
import org.junit.Test;

public class RegisterTest {

    @Test
    public void parsesTheIssuesExample() {
        List<Register> map = Register.parseAll(new String[] {"temperature:input:0:int16*0.1:°C, humidity:input:1:uint16*0.1:%,"
                + " setpoint:holding:10:float32:°C:rw, relay:coil:0:bool:rw", "offset:holding:0x20:uint16*0.5-40:°C"});
        assertEquals(5, map.size());
        Register t = map.get(0);
        assertEquals(Table.INPUT, t.table());
        assertEquals(Type.INT16, t.type());
        assertEquals(new BigDecimal("0.1"), t.scale());
        assertEquals("°C", t.unit());
        assertFalse(t.writable());
        assertTrue(map.get(2).writable());
        assertEquals(2, map.get(2).size());
        assertEquals(Table.COIL, map.get(3).table());
        assertEquals(0x20, map.get(4).address());
        assertEquals(new BigDecimal("-40"), map.get(4).offset());
        assertEquals(new BigDecimal("0.5"), map.get(4).scale());
    }

    @Test
    public void refusesWhatCannotWork() {
        for (String bad : new String[] {"t:input:0", "t:inputs:0:int16", "t:input:x:int16", "t:input:0:int8",
                "t:input:0:int16:°C:rw", "t:discrete:0:int16", "t:holding:0:bool", "t:coil:0:bool*2", "t/x:input:0:int16",
                "t:holding:65535:int32", "t:holding:0:int16*0", "t:input:0:int16:C:x:rw"}) {
            assertThrows(bad, IllegalArgumentException.class, () -> Register.parse(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> Register.parseAll(new String[] {"a:input:0:int16,a:input:1:int16"}));
    }

    private static Object decode(String entry, boolean little, int... words) {
        return Register.parse(entry).decode(words, little);
    }

    @Test
    public void decodesEveryTypeInBothWordOrders() {
        assertEquals(-2L, decode("v:input:0:int16", false, 0xFFFE));
        assertEquals(65534L, decode("v:input:0:uint16", false, 0xFFFE));
        assertEquals(-100000L, decode("v:input:0:int32", false, 0xFFFE, 0x7960));
        assertEquals(-100000L, decode("v:input:0:int32", true, 0x7960, 0xFFFE));
        assertEquals(4294867296L, decode("v:input:0:uint32", false, 0xFFFE, 0x7960));
        assertEquals(1.5, decode("v:input:0:float32", false, 0x3FC0, 0x0000));
        assertEquals(1.5, decode("v:input:0:float32", true, 0x0000, 0x3FC0));
        assertEquals(-5_000_000_000L, decode("v:input:0:int64", false, 0xFFFF, 0xFFFE, 0xD5FA, 0x0E00));
        assertEquals(-5_000_000_000L, decode("v:input:0:int64", true, 0x0E00, 0xD5FA, 0xFFFE, 0xFFFF));
        assertEquals(-2.25, decode("v:input:0:float64", false, 0xC002, 0x0000, 0x0000, 0x0000));
        assertEquals(1L, decode("v:coil:0:bool", false, 1));
        assertNull(decode("v:input:0:float32", false, 0x7FC0, 0));
    }

    @Test
    public void scaleAndOffsetInDecimalArithmetic() {
        assertEquals(-12.3, decode("t:input:0:int16*0.1", false, 0xFF85));
        assertEquals(21.5, decode("t:input:0:uint16*0.5-40", false, 123));
        assertEquals(60.1, decode("h:input:0:uint16*0.1", false, 601));
    }

    @Test
    public void encodesTheInverseAndRefusesOutOfRange() {
        Register sp = Register.parse("sp:holding:0:int16*0.1:°C:rw");
        assertArrayEquals(new int[] {0xFF85}, sp.encode(-12.3, false));
        assertArrayEquals(new int[] {0xFF85}, sp.encode("-12.3", false));
        assertThrows(IllegalArgumentException.class, () -> sp.encode(4000, false));
        assertThrows(IllegalArgumentException.class, () -> sp.encode("warm", false));
        Register f = Register.parse("f:holding:0:float32:rw");
        assertArrayEquals(new int[] {0x0000, 0x3FC0}, f.encode(1.5, true));
        Register big = Register.parse("e:holding:0:int64:rw");
        assertArrayEquals(new int[] {0xFFFF, 0xFFFE, 0xD5FA, 0x0E00}, big.encode(-5_000_000_000L, false));
        Register relay = Register.parse("r:coil:0:bool:rw");
        assertArrayEquals(new int[] {1}, relay.encode("on", false));
        assertArrayEquals(new int[] {0}, relay.encode(false, false));
        assertThrows(IllegalArgumentException.class, () -> relay.encode("maybe", false));
        Register u = Register.parse("u:holding:0:uint16:rw");
        assertThrows(IllegalArgumentException.class, () -> u.encode(-1, false));
        assertThrows(IllegalArgumentException.class, () -> u.encode(65536, false));
    }

    @Test
    public void adjacentEntriesMergeUpToTheProtocolLimits() {
        List<Request> plan = Request.plan(Register.parseAll(new String[] {
            "a:input:0:int16, b:input:1:float32, c:input:5:int16, d:holding:3:int16, e:coil:0:bool, f:coil:1:bool"}));
        assertEquals(List.of("coil 0-1", "input 0-2", "input 5", "holding 3"),
                plan.stream().map(Request::toString).sorted((x, y) -> 0).toList().stream()
                        .sorted(java.util.Comparator.comparing(s -> List.of("coil", "input", "holding")
                                .indexOf(s.split(" ")[0]))).toList());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 130; i++) {
            many.append("r").append(i).append(":holding:").append(i).append(":uint16,");
        }
        List<Request> split = Request.plan(Register.parseAll(new String[] {many.toString()}));
        assertEquals(2, split.size());
        assertEquals(125, split.get(0).count());
        assertEquals(5, split.get(1).count());
    }

    @Test
    public void newDevicesGoIntoTheWidestGap() {
        assertEquals(0, Bus.widestGapMiddle(List.of(), 1000));
        assertEquals(500, Bus.widestGapMiddle(List.of(0L), 1000));
        assertEquals(250, Bus.widestGapMiddle(List.of(0L, 500L), 1000) % 500);
        assertEquals(700, Bus.widestGapMiddle(List.of(100L, 300L), 1000));
    }
}
