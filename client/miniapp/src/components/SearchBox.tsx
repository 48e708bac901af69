/**
 * The rounded search box with its 搜索 button (the catalogue's way in and the search page).
 */
import { Button, Input, View } from "@tarojs/components";
import "./SearchBox.scss";

/** A controlled search input; `onSearch` runs on the keyboard's search key and on the button. */
export function SearchBox({
  value,
  placeholder,
  onInput,
  onSearch,
}: {
  value: string;
  placeholder: string;
  onInput: (value: string) => void;
  onSearch: () => void;
}) {
  return (
    <View className="search-bar">
      <Input
        className="search-input"
        placeholder={placeholder}
        value={value}
        confirmType="search"
        onInput={(e) => onInput(e.detail.value)}
        onConfirm={onSearch}
      />
      <Button className="search-btn" size="mini" onClick={onSearch}>
        搜索
      </Button>
    </View>
  );
}
