package org.edgegate.commands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subcommands of one Gogo command, openHAB style: {@code gw:sensor add th sim:th}. A command class
 * declares each subcommand once as a constant spec line, {@code "add <sensor id> <port> [<baud>] -
 * add a sensor"}, uses the same constants in its {@code @Descriptor} (so Gogo's {@code help} shows them)
 * and registers a handler per spec here; this class checks the number of arguments from the spec
 * ({@code <x>} required, {@code [<x>]} optional, {@code <x...>} one or more), answers {@code --help} and
 * fails wrong arguments with the usage. Gogo-free, so the feature bundles need no shell.
 */
public final class Subcommands {

    /** Runs one subcommand with its arguments (the subcommand's name removed). */
    @FunctionalInterface
    public interface Handler {
        Object run(List<String> args) throws Exception;
    }

    private record Sub(String name, String params, String description, int min, int max, Handler handler) {
        String usage(String command) {
            return command + " " + name + (params.isEmpty() ? "" : " " + params);
        }
    }

    private final String command;
    private final Map<String, Sub> subs = new LinkedHashMap<>();

    /** {@code command}: as users type it, e.g. {@code gw:sensor}. */
    public Subcommands(String command) {
        this.command = command;
    }

    /** Adds a subcommand; {@code spec} is {@code "name <param> [<optional>] <rest...> - description"}. */
    public Subcommands on(String spec, Handler handler) {
        int dash = spec.indexOf(" - ");
        String head = (dash < 0 ? spec : spec.substring(0, dash)).trim();
        String description = dash < 0 ? "" : spec.substring(dash + 3).trim();
        int space = head.indexOf(' ');
        String name = space < 0 ? head : head.substring(0, space);
        String params = space < 0 ? "" : head.substring(space + 1).trim();
        int min = 0;
        int max = 0;
        for (String p : params.isEmpty() ? new String[0] : params.split("\\s+(?=[<\\[])")) {
            if (p.endsWith("...>") || p.endsWith("...>]")) {
                max = Integer.MAX_VALUE;
                min += p.startsWith("[") ? 0 : 1;
            } else if (p.startsWith("[")) {
                max++;
            } else {
                min++;
                max++;
            }
        }
        subs.put(name, new Sub(name, params, description, min, max, handler));
        return this;
    }

    /** Runs {@code args[0]} with the rest; {@code --help} (anywhere, or no arguments) prints the usage. */
    public Object run(String... args) throws Exception {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0])) {
            return usage();
        }
        Sub sub = subs.get(args[0]);
        if (sub == null) {
            throw new IllegalArgumentException("unknown subcommand '" + args[0] + "'; usage:" + System.lineSeparator()
                    + usage());
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        if (rest.size() == 1 && "--help".equals(rest.get(0))) {
            return usage(sub);
        }
        if (rest.size() < sub.min || rest.size() > sub.max) {
            throw new IllegalArgumentException("wrong arguments; usage:" + System.lineSeparator() + usage(sub));
        }
        return sub.handler.run(rest);
    }

    /** Every subcommand: its usage line and description. */
    public String usage() {
        StringBuilder b = new StringBuilder();
        subs.values().forEach(s -> b.append(usage(s)));
        return b.toString();
    }

    private String usage(Sub s) {
        return s.usage(command) + System.lineSeparator()
                + (s.description.isEmpty() ? "" : "    " + s.description + System.lineSeparator());
    }

    /** Argument {@code i} as an int, null when absent; a bad number fails naming the parameter. */
    public static Integer intArg(List<String> args, int i, String name) {
        if (args.size() <= i) {
            return null;
        }
        try {
            return Integer.valueOf(args.get(i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + args.get(i) + "'");
        }
    }
}
