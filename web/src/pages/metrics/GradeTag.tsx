import { Tag, Tooltip } from 'antd';
import type { Grade } from './api';
import { GRADE_COLORS } from './grade';

/** A post's grade as a coloured letter; the reason, when given, on hover. */
export function GradeTag({ grade, reason }: { grade: Grade; reason?: string }) {
  const tag = (
    <Tag color={GRADE_COLORS[grade]} data-testid="grade-tag" style={{ fontWeight: 600 }}>
      {grade}
    </Tag>
  );
  return reason ? <Tooltip title={reason}>{tag}</Tooltip> : tag;
}
