package org.edgegate.logging.internal.slf4j;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

final class BridgeLoggerFactory implements ILoggerFactory {
    private final ConcurrentMap<String, BridgeLogger> loggers = new ConcurrentHashMap<>();

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, BridgeLogger::new);
    }
}
