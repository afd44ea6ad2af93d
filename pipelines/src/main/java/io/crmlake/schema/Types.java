package io.crmlake.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/** Numeric types shared by silver and gold, so money never goes through binary floating point. */
public final class Types {
    /** Amounts of money and unit prices, in the order's currency. */
    public static final DecimalType MONEY = DataTypes.createDecimalType(12, 2);
    /** A fraction between 0 and 1, such as a line discount. */
    public static final DecimalType RATE = DataTypes.createDecimalType(5, 4);

    private Types() {}
}
