package org.edgegate.modbus.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One read request of a poll: a run of adjacent items of one table (up to 125 registers or 2000 bits) and
 * the registers it covers. Only adjacent or overlapping entries merge: a gap could hold addresses the
 * device refuses.
 */
record Request(Table table, int address, int count, List<Register> registers) {

    /** The fewest requests that read every register of a map. */
    static List<Request> plan(List<Register> registers) {
        List<Register> sorted = new ArrayList<>(registers);
        sorted.sort(Comparator.comparing(Register::table).thenComparingInt(Register::address));
        List<Request> out = new ArrayList<>();
        Table table = null;
        int start = 0;
        int end = 0;
        List<Register> members = new ArrayList<>();
        for (Register r : sorted) {
            int max = r.table().bits() ? Pdu.MAX_BITS : Pdu.MAX_REGISTERS;
            int rEnd = r.address() + r.size();
            if (r.table() == table && r.address() <= end && Math.max(end, rEnd) - start <= max) {
                end = Math.max(end, rEnd);
                members.add(r);
                continue;
            }
            if (table != null) {
                out.add(new Request(table, start, end - start, List.copyOf(members)));
            }
            table = r.table();
            start = r.address();
            end = rEnd;
            members = new ArrayList<>(List.of(r));
        }
        if (table != null) {
            out.add(new Request(table, start, end - start, List.copyOf(members)));
        }
        return List.copyOf(out);
    }

    byte[] pdu() {
        return Pdu.read(table, address, count);
    }

    /** The words of one of its registers out of the answer (bits: 0 or 1). */
    int[] slice(byte[] answer, Register r) {
        if (table.bits()) {
            return new int[] {Pdu.bit(answer, r.address() - address) ? 1 : 0};
        }
        int[] all = Pdu.words(answer);
        int[] w = new int[r.size()];
        System.arraycopy(all, r.address() - address, w, 0, w.length);
        return w;
    }

    @Override
    public String toString() {
        return table + " " + address + (count > 1 ? "-" + (address + count - 1) : "");
    }
}
