package org.atsassessments.edge;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The failed-login throttle's memory is bounded, and what is locked out stays locked out. */
@ExtendWith(VertxExtension.class)
class LoginThrottleTest {

  @Test
  void failuresFromEndlesslyManyAddressesAndNamesStayBoundedAndKeepTheLockouts(Vertx vertx) {
    LoginThrottle throttle = new LoginThrottle(vertx, 1, 3, 300, 0);
    for (int i = 0; i < 3; i++) throttle.failed("192.0.2.1", "victim");
    assertTrue(throttle.lockedSeconds("192.0.2.1", null) > 0);

    for (int i = 0; i < LoginThrottle.MAX_TRACKED; i++) throttle.failed("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), "name-" + i);

    assertTrue(throttle.tracked() <= LoginThrottle.MAX_TRACKED, "tracked " + throttle.tracked());
    assertTrue(throttle.lockedSeconds("192.0.2.1", null) > 0, "the locked-out address is still refused");
    assertTrue(throttle.lockedSeconds(null, "victim") > 0, "and so is the locked-out name");
    assertEquals(0, throttle.lockedSeconds("198.51.100.7", "someone-else"));
  }
}
