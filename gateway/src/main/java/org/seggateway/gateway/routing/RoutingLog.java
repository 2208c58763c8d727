package org.seggateway.gateway.routing;

import java.lang.invoke.MethodHandles;
import java.time.Duration;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of routing (ids 8000-8099). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface RoutingLog extends BasicLogger {
    RoutingLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), RoutingLog.class, RoutingLog.class.getPackageName());

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 8001, value = "routing regular expression '%s' took longer than %d ms on a %d-character Series Description: taken as"
            + " no match; simplify it (nested repetition such as (a+)+ backtracks exponentially)")
    void regexTooSlow(String regex, long limitMillis, int textLength);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 8002, value = "routing rules not read (the previous reading stays in force for %s): %s")
    void rulesNotRead(Duration keptFor, String error);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 8003, value = "routing rule '%s' ignored: a configured route has that name")
    void ruleShadowed(String rule);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 8004, value = "routing rule '%s' %s by %s")
    void rulePut(String rule, String createdOrReplaced, String user);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 8005, value = "routing rule '%s' deleted by %s")
    void ruleDeleted(String rule, String user);
}
