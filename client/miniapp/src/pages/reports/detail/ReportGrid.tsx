/**
 * One report table as the template prints it, on a phone: grouped column headers, section and
 * group label rows spanning the numbers, a sticky label column, and horizontal scrolling.
 * Built from Views (weapp has no <table>), so spans are nested flex boxes of fixed-width leaves.
 */
import { Text, View } from "@tarojs/components";
import type { HeaderCell, ReportTable } from "../../../logic/reportTables";

function HeaderNode({ cell }: { cell: HeaderCell }) {
  if (!cell.children) {
    return (
      <View className="rg-cell rg-leaf rg-hcell">
        <Text>{cell.label}</Text>
      </View>
    );
  }
  return (
    <View className="rg-hgroup">
      <View className="rg-cell rg-hcell rg-hlabel">
        <Text>{cell.label}</Text>
      </View>
      <View className="rg-hchildren">
        {cell.children.map((child) => (
          <HeaderNode key={child.label} cell={child} />
        ))}
      </View>
    </View>
  );
}

/** Draws one table inside its scroll block. */
export function ReportGrid({ table }: { table: ReportTable }) {
  const hasLabels = table.corner !== null;
  return (
    <View className={`report-scroll report-scroll-${table.key}`}>
      <View className="rg-table">
        <View className="rg-row rg-head">
          {hasLabels ? (
            <View className="rg-cell rg-first rg-corner">
              <Text>{table.corner}</Text>
            </View>
          ) : null}
          {table.header.map((cell) => (
            <HeaderNode key={cell.label} cell={cell} />
          ))}
        </View>
        {table.rows.map((row) => (
          <View key={`${row.kind}-${row.key}`} className={`rg-row rg-${row.kind}`}>
            {hasLabels ? (
              <View className={`rg-cell rg-first rg-level-${row.level}`}>
                <Text className={row.kind === "data" ? "" : "rg-label-strong"}>{row.label}</Text>
              </View>
            ) : null}
            {row.kind === "data" ? (
              row.cells.map((value, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the cells of a row are fixed columns.
                <View key={i} className="rg-cell rg-leaf rg-num">
                  <Text>{value}</Text>
                </View>
              ))
            ) : (
              <View className="rg-band" />
            )}
          </View>
        ))}
      </View>
    </View>
  );
}
