import { Button, type ButtonProps, Tooltip } from '@mantine/core';
import type { MouseEventHandler, ReactNode } from 'react';

interface ActionButtonProps extends ButtonProps {
  /** null when allowed; otherwise why not (from the server's viewerCan / viewerPermissions). */
  deniedReason: string | null;
  onClick?: MouseEventHandler<HTMLButtonElement>;
  children: ReactNode;
  type?: 'button' | 'submit';
}

/**
 * A button the viewer may or may not use. When not, it stays focusable with aria-disabled and tells why
 * (tooltip + accessible description), instead of vanishing or silently failing.
 */
export function ActionButton({ deniedReason, onClick, children, type = 'button', ...props }: ActionButtonProps) {
  if (deniedReason === null) {
    return (
      <Button type={type} onClick={onClick} {...props}>
        {children}
      </Button>
    );
  }
  return (
    <Tooltip label={deniedReason} withArrow multiline maw={280}>
      <Button
        type="button"
        data-disabled
        aria-disabled="true"
        title={deniedReason}
        onClick={(e) => e.preventDefault()}
        {...props}
      >
        {children}
      </Button>
    </Tooltip>
  );
}
