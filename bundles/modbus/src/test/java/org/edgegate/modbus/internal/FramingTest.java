package org.edgegate.modbus.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HexFormat;

import org.edgegate.modbus.internal.Pdu.FrameException;
import org.edgegate.modbus.internal.Pdu.ModbusException;
import org.junit.Test;

public class FramingTest {
    private static final HexFormat HEX = HexFormat.of();

    private static Incoming bytes(String hex) {
        Incoming in = new Incoming();
        byte[] b = HEX.parseHex(hex);
        in.add(b, b.length);
        return in;
    }

    private static long soon() {
        return System.nanoTime() + 50_000_000L;
    }

    @Test
    public void crcOfTheSpecExample() {
        // read 10 holding registers of unit 1: the frame every Modbus guide shows, 01 03 00 00 00 0A C5 CD
        byte[] frame = new Framing.Rtu().frame(1, Pdu.read(Table.HOLDING, 0, 10));
        assertEquals("01030000000ac5cd", HEX.formatHex(frame));
    }

    @Test
    public void rtuAnswerIsCheckedAndUnwrapped() throws Exception {
        Framing rtu = new Framing.Rtu();
        byte[] answer = rtu.frame(1, HEX.parseHex("0304000a0014"));
        byte[] pdu = rtu.answer(bytes(HEX.formatHex(answer)), 1, soon());
        assertEquals("0304000a0014", HEX.formatHex(pdu));
        Pdu.check(Pdu.read(Table.HOLDING, 0, 2), pdu);
        assertArrayEquals(new int[] {10, 20}, Pdu.words(pdu));
    }

    @Test
    public void damagedOrForeignFramesAreFrameErrors() {
        Framing rtu = new Framing.Rtu();
        byte[] good = rtu.frame(1, HEX.parseHex("0304000a0014"));
        byte[] bad = good.clone();
        bad[4] ^= 0x10;
        FrameException crc = assertThrows(FrameException.class, () -> rtu.answer(bytes(HEX.formatHex(bad)), 1, soon()));
        assertTrue(crc.getMessage(), crc.getMessage().contains("CRC"));
        FrameException unit = assertThrows(FrameException.class, () -> rtu.answer(bytes(HEX.formatHex(good)), 2, soon()));
        assertTrue(unit.getMessage(), unit.getMessage().contains("unit 1"));
        assertThrows(FrameException.class, () -> rtu.answer(bytes("01ff1234"), 1, soon()));
        assertThrows(FrameException.class, () -> rtu.answer(bytes("0103"), 1, soon()));
    }

    @Test
    public void silenceIsNoAnswer() throws Exception {
        assertNull(new Framing.Rtu().answer(new Incoming(), 1, soon()));
        assertNull(new Framing.Tcp().answer(new Incoming(), 1, soon()));
    }

    @Test
    public void exceptionAnswerNamesTheCode() throws Exception {
        Framing rtu = new Framing.Rtu();
        byte[] pdu = rtu.answer(bytes(HEX.formatHex(rtu.frame(7, HEX.parseHex("8302")))), 7, soon());
        ModbusException e = assertThrows(ModbusException.class, () -> Pdu.check(Pdu.read(Table.HOLDING, 300, 1), pdu));
        assertEquals(2, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("illegal data address"));
    }

    @Test
    public void tcpSkipsLateAnswersOfEarlierTransactions() throws Exception {
        Framing.Tcp tcp = new Framing.Tcp();
        byte[] first = tcp.frame(1, Pdu.read(Table.INPUT, 0, 1));
        byte[] second = tcp.frame(1, Pdu.read(Table.INPUT, 0, 1));
        assertEquals("0001000000060104", HEX.formatHex(first, 0, 8));
        assertEquals(2, Pdu.u16(second, 0));
        // a late answer to transaction 1, then the answer to 2
        byte[] pdu = tcp.answer(bytes("000100000005010402000a" + "000200000005010402002a"), 1, soon());
        assertArrayEquals(new int[] {42}, Pdu.words(pdu));
        assertThrows(FrameException.class, () -> tcp.answer(bytes("00030001000501040200"), 1, soon()));
    }

    @Test
    public void writeRequestsAndCoilBits() throws Exception {
        assertEquals("06000a0102", HEX.formatHex(Pdu.writeRegisters(10, new int[] {0x0102})));
        assertEquals("10000a00020400010002", HEX.formatHex(Pdu.writeRegisters(10, new int[] {1, 2})));
        assertEquals("050003ff00", HEX.formatHex(Pdu.writeCoil(3, true)));
        byte[] coils = HEX.parseHex("010205" + "01");
        Pdu.check(Pdu.read(Table.COIL, 0, 10), HEX.parseHex("01020501"));
        assertTrue(Pdu.bit(coils, 0));
        assertTrue(!Pdu.bit(coils, 1));
        assertTrue(Pdu.bit(coils, 2));
        assertTrue(Pdu.bit(coils, 8));
        assertThrows(IllegalArgumentException.class, () -> Pdu.read(Table.HOLDING, 0, 126));
        assertThrows(IllegalArgumentException.class, () -> Pdu.read(Table.COIL, 0, 2001));
    }
}
